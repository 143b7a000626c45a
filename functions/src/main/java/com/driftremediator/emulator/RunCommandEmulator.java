package com.driftremediator.emulator;

import com.driftremediator.local.Agent;
import com.driftremediator.local.Sandbox;
import com.driftremediator.local.SsmDocument;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * What moto lacks of SSM Run Command: commands that run. A SendCommand to emulated instances is checked as SSM
 * checks it (document, allowedPattern), recorded by moto, then run on each instance by its {@link Agent}; the
 * invocations answer GetCommandInvocation, ListCommandInvocations and ListCommands with their real status and
 * output (cut where SSM cuts it), and every status change of an invocation is published as the documented
 * "EC2 Command Invocation Status-change Notification" event. docs/aws.md lists what is and is not reproduced.
 */
public final class RunCommandEmulator implements AutoCloseable {
    static final int GET_STDOUT_LIMIT = 24_000;
    static final int GET_STDERR_LIMIT = 8_000;
    static final int LIST_OUTPUT_LIMIT = 2_500;
    static final Set<String> OPERATIONS = Set.of("SendCommand", "GetCommandInvocation", "ListCommandInvocations",
            "ListCommands");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> FINISHED = Set.of("Success", "Failed", "TimedOut", "Cancelled", "Undeliverable",
            "Terminated", "DeliveryTimedOut");

    /** An emulated EC2 instance: the sandbox that backs it and its tags (for tag targets). */
    public record Instance(Sandbox sandbox, Map<String, String> tags) {
    }

    /** moto behind us: one SSM JSON call. */
    public interface Ssm {
        Reply call(String operation, String body);
    }

    /** An HTTP answer in SSM's JSON protocol. */
    public record Reply(int status, String body) {
        static Reply error(String type, String message) {
            return new Reply(400, JSON.createObjectNode().put("__type", type).put("message", message).toString());
        }
    }

    private final Map<String, Instance> instances;
    private final String account;
    private final String region;
    private final Consumer<String> events;
    private final ExecutorService agents = Executors.newFixedThreadPool(8, r -> {
        Thread t = new Thread(r, "ssm-agent");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Command> commands = new ConcurrentHashMap<>();

    private static final class Command {
        final String id;
        final String document;
        final String comment;
        final Instant requestedAt;
        final Map<String, Invocation> invocations = new LinkedHashMap<>();

        Command(String id, String document, String comment, Instant requestedAt) {
            this.id = id;
            this.document = document;
            this.comment = comment;
            this.requestedAt = requestedAt;
        }
    }

    private static final class Invocation {
        final String instanceId;
        volatile String status = "Pending";
        volatile Agent.Invocation result;

        Invocation(String instanceId) {
            this.instanceId = instanceId;
        }
    }

    /** @param events receives each status-change event's JSON, as EventBridge's default bus would */
    public RunCommandEmulator(Map<String, Instance> instances, String account, String region, Consumer<String> events) {
        this.instances = new ConcurrentHashMap<>(instances);
        this.account = account;
        this.region = region;
        this.events = events;
    }

    /** An instance launched after the start (an Auto Scaling group's): its agent is online from now on. */
    public void attach(String instanceId, Instance instance) {
        instances.put(instanceId, instance);
    }

    /** A terminated instance: commands to it are refused from now on, as SSM refuses them. */
    public void detach(String instanceId) {
        instances.remove(instanceId);
    }

    public Reply handle(String operation, String body, Ssm moto) {
        JsonNode request;
        try {
            request = JSON.readTree(body.isBlank() ? "{}" : body);
        } catch (java.io.IOException e) {
            return Reply.error("SerializationException", "the request is not JSON");
        }
        return switch (operation) {
            case "SendCommand" -> send(request, body, moto);
            case "GetCommandInvocation" -> get(request, body, moto);
            case "ListCommandInvocations" -> listInvocations(request);
            case "ListCommands" -> listCommands(body, moto);
            default -> moto.call(operation, body);
        };
    }

    private Reply send(JsonNode request, String body, Ssm moto) {
        List<String> targets = targets(request);
        if (targets.isEmpty()) {
            return Reply.error("InvalidInstanceId", "no emulated instance matches the command's InstanceIds or Targets");
        }
        for (String id : targets) {
            if (!instances.containsKey(id)) {
                return Reply.error("InvalidInstanceId", "Instances [[" + id + "]] not in a valid state for account " + account);
            }
        }
        String documentName = request.path("DocumentName").asText();
        Reply document = moto.call("GetDocument", JSON.createObjectNode().put("Name", documentName).toString());
        if (document.status() != 200) return Reply.error("InvalidDocument", "Document " + documentName + " does not exist");
        SsmDocument ssmDocument;
        Map<String, String> parameters;
        try {
            ssmDocument = SsmDocument.fromJson(documentName, read(document.body()).path("Content").asText());
            Map<String, String> given = new LinkedHashMap<>();
            request.path("Parameters").fields().forEachRemaining(p -> {
                if (p.getValue().size() != 1) throw new IllegalArgumentException("InvalidParameters: " + p.getKey()
                        + " takes exactly one value");
                given.put(p.getKey(), p.getValue().get(0).asText());
            });
            parameters = ssmDocument.resolve(given);
        } catch (IllegalArgumentException e) {
            String message = e.getMessage() == null ? "invalid" : e.getMessage();
            return Reply.error(message.startsWith("InvalidParameters") ? "InvalidParameters" : "InvalidDocumentContent",
                    message);
        }
        Reply recorded = moto.call("SendCommand", body);
        if (recorded.status() != 200) return recorded;
        ObjectNode reply = (ObjectNode) read(recorded.body());
        ObjectNode sent = (ObjectNode) reply.path("Command");
        Command command = new Command(sent.path("CommandId").asText(), documentName, request.path("Comment").asText(""),
                Instant.now());
        for (String id : targets) command.invocations.put(id, new Invocation(id));
        commands.put(command.id, command);
        sent.set("InstanceIds", JSON.valueToTree(targets));
        sent.put("TargetCount", targets.size()).put("Status", "Pending").put("StatusDetails", "Pending");
        for (Invocation invocation : command.invocations.values()) {
            changed(command, invocation, "Pending");
            agents.submit(() -> run(command, invocation, ssmDocument, parameters));
        }
        return new Reply(200, reply.toString());
    }

    private void run(Command command, Invocation invocation, SsmDocument document, Map<String, String> parameters) {
        changed(command, invocation, "InProgress");
        Agent.Invocation result;
        Instance instance = instances.get(invocation.instanceId);
        try {
            // SSM's word for a node that went away (terminated) before its agent took the command
            result = instance == null ? new Agent.Invocation("Undeliverable", "Undeliverable", -1, "", "", Instant.now(),
                    Instant.now()) : new Agent(instance.sandbox()).run(command.id, document, parameters);
        } catch (RuntimeException e) {
            result = new Agent.Invocation("Failed", "Failed", -1, "", String.valueOf(e.getMessage()), Instant.now(),
                    Instant.now());
        }
        invocation.result = result;
        changed(command, invocation, result.status());
    }

    /** The command's instances: its InstanceIds, else its Targets (InstanceIds or tag:KEY). */
    private List<String> targets(JsonNode request) {
        List<String> ids = new ArrayList<>();
        request.path("InstanceIds").forEach(i -> ids.add(i.asText()));
        for (JsonNode target : request.path("Targets")) {
            String key = target.path("Key").asText();
            List<String> values = new ArrayList<>();
            target.path("Values").forEach(v -> values.add(v.asText()));
            if (key.equals("InstanceIds")) {
                ids.addAll(values);
            } else if (key.startsWith("tag:")) {
                instances.forEach((id, i) -> {
                    if (values.contains(i.tags().get(key.substring(4))) && !ids.contains(id)) ids.add(id);
                });
            }
        }
        return ids.stream().distinct().toList();
    }

    private Reply get(JsonNode request, String body, Ssm moto) {
        Command command = commands.get(request.path("CommandId").asText());
        if (command == null) return moto.call("GetCommandInvocation", body);
        Invocation invocation = command.invocations.get(request.path("InstanceId").asText());
        if (invocation == null) return Reply.error("InvocationDoesNotExist", null);
        Agent.Invocation r = invocation.result;
        ObjectNode n = JSON.createObjectNode();
        n.put("CommandId", command.id).put("InstanceId", invocation.instanceId).put("Comment", command.comment)
                .put("DocumentName", command.document).put("DocumentVersion", "$DEFAULT").put("PluginName", "")
                .put("ResponseCode", r == null ? -1 : r.responseCode())
                .put("Status", invocation.status).put("StatusDetails", r == null ? invocation.status : r.statusDetails())
                .put("StandardOutputContent", r == null ? "" : cut(r.stdout(), GET_STDOUT_LIMIT))
                .put("StandardErrorContent", r == null ? "" : cut(r.stderr(), GET_STDERR_LIMIT))
                .put("StandardOutputUrl", "").put("StandardErrorUrl", "");
        if (r != null) {
            n.put("ExecutionStartDateTime", r.startedAt().toString()).put("ExecutionEndDateTime", r.endedAt().toString());
        }
        return new Reply(200, n.toString());
    }

    private Reply listInvocations(JsonNode request) {
        String commandId = request.path("CommandId").asText(null);
        String instanceId = request.path("InstanceId").asText(null);
        boolean details = request.path("Details").asBoolean(false);
        ArrayNode list = JSON.createArrayNode();
        for (Command c : commands.values()) {
            if (commandId != null && !commandId.equals(c.id)) continue;
            for (Invocation i : c.invocations.values()) {
                if (instanceId != null && !instanceId.equals(i.instanceId)) continue;
                Agent.Invocation r = i.result;
                ObjectNode n = list.addObject().put("CommandId", c.id).put("InstanceId", i.instanceId)
                        .put("Comment", c.comment).put("DocumentName", c.document).put("DocumentVersion", "$DEFAULT")
                        .put("RequestedDateTime", epoch(c.requestedAt)).put("Status", i.status)
                        .put("StatusDetails", r == null ? i.status : r.statusDetails()).put("StandardOutputUrl", "")
                        .put("StandardErrorUrl", "");
                if (details) {
                    ObjectNode plugin = n.putArray("CommandPlugins").addObject().put("Name", "aws:runShellScript")
                            .put("Status", i.status).put("StatusDetails", r == null ? i.status : r.statusDetails())
                            .put("ResponseCode", r == null ? -1 : r.responseCode())
                            .put("Output", r == null ? "" : cut(r.stdout() + r.stderr(), LIST_OUTPUT_LIMIT));
                    if (r != null) {
                        plugin.put("ResponseStartDateTime", epoch(r.startedAt()))
                                .put("ResponseFinishDateTime", epoch(r.endedAt()));
                    }
                }
            }
        }
        ObjectNode reply = JSON.createObjectNode();
        reply.set("CommandInvocations", list);
        return new Reply(200, reply.toString());
    }

    /** moto's list, with the real status and counts of the commands that ran here. */
    private Reply listCommands(String body, Ssm moto) {
        Reply listed = moto.call("ListCommands", body);
        if (listed.status() != 200) return listed;
        JsonNode reply = read(listed.body());
        for (JsonNode n : reply.path("Commands")) {
            Command c = commands.get(n.path("CommandId").asText());
            if (c == null) continue;
            List<String> statuses = c.invocations.values().stream().map(i -> i.status).toList();
            String status = commandStatus(statuses);
            ((ObjectNode) n).put("Status", status).put("StatusDetails", status)
                    .put("TargetCount", statuses.size())
                    .put("CompletedCount", statuses.stream().filter(FINISHED::contains).count())
                    .put("ErrorCount", statuses.stream().filter(s -> FINISHED.contains(s) && !s.equals("Success")).count())
                    .set("InstanceIds", JSON.valueToTree(c.invocations.keySet()));
        }
        return new Reply(200, reply.toString());
    }

    /** A command is finished when every invocation is; then it is Success only if all were. */
    static String commandStatus(List<String> invocations) {
        if (!invocations.stream().allMatch(FINISHED::contains)) {
            return invocations.stream().anyMatch(s -> !s.equals("Pending")) ? "InProgress" : "Pending";
        }
        if (invocations.stream().allMatch("Success"::equals)) return "Success";
        return invocations.stream().filter(s -> !s.equals("Success")).findFirst().orElse("Failed");
    }

    private void changed(Command command, Invocation invocation, String status) {
        invocation.status = status;
        ObjectNode event = JSON.createObjectNode();
        event.put("version", "0").put("id", UUID.randomUUID().toString())
                .put("detail-type", "EC2 Command Invocation Status-change Notification").put("source", "aws.ssm")
                .put("account", account).put("time", Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString())
                .put("region", region);
        event.putArray("resources").add("arn:aws:ec2:" + region + ":" + account + ":instance/" + invocation.instanceId);
        event.putObject("detail").put("command-id", command.id).put("document-name", command.document)
                .put("instance-id", invocation.instanceId).put("requested-date-time", command.requestedAt.toString())
                .put("status", status);
        events.accept(event.toString());
    }

    /** Whether every invocation sent so far has finished. */
    public boolean idle() {
        return commands.values().stream().flatMap(c -> c.invocations.values().stream())
                .allMatch(i -> FINISHED.contains(i.status));
    }

    /** Waits for the commands that run now (the emulator's shutdown). */
    @Override
    public void close() {
        agents.shutdown();
        try {
            agents.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static double epoch(Instant t) {
        return t.toEpochMilli() / 1000.0;
    }

    private static String cut(String s, int limit) {
        return s.length() <= limit ? s : s.substring(0, limit);
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("moto answered with something that is not JSON", e);
        }
    }
}
