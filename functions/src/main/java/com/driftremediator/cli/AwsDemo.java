package com.driftremediator.cli;

import com.driftremediator.domain.Revision;
import com.driftremediator.local.Sandbox;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * {@code demo --aws}: the incident replayed on the AWS path, unattended: the emulator with one instance booted at
 * the old commit, the stack update's event to DriftCheckFunction, the command run on the instance, its result
 * through CommandResultFunction, the report on the topic, DiagnoseFunction's view at the end. The JSON has the
 * shape of the sandbox demo's.
 */
final class AwsDemo {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EVENT = "events/cloudformation-update-complete.json";

    private AwsDemo() {
    }

    static int run(boolean badRelease, Emulator.Source source, boolean json, PrintStream out, PrintStream err)
            throws IOException {
        long started = System.nanoTime();
        String scenario = badRelease ? "bad-release" : "stale";
        Revision desired = badRelease ? SampleEnvironment.BAD_RELEASE : SampleEnvironment.DESIRED;
        Path state = Files.createTempDirectory("drift-remediator-aws-demo-");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        err.println("demo --aws: starting the emulator (moto, one instance booted by its UserData at "
                + SampleEnvironment.BOOTED.shortSha() + ")");
        try (Emulator emulator = Emulator.start(new Emulator.Config(state, port, "streamr-p2p-beta", 1, null, null, null,
                false, source))) {
            Emulator.Instance instance = emulator.instances().get(0);
            String diagnose = JSON.createObjectNode().put("instanceId", instance.instanceId()).toString();
            JsonNode diagnosis = invoke(emulator, "DiagnoseFunction", diagnose, err);
            ObjectNode before = view(instance.sandbox(), diagnosis);
            err.println("demo --aws: " + instance.instanceId() + " at " + instance.url() + " serves "
                    + before.path("served").asText() + "; /streams/live answers " + before.path("liveStatus").asInt());
            if (badRelease) {
                err.println("demo --aws: the pipeline updates the stack to " + desired.shortSha() + " (it crashes at start)");
                emulator.setStackRevision(desired);
            }
            err.println("demo --aws: invoke DriftCheckFunction -e " + EVENT);
            JsonNode check = invoke(emulator, "DriftCheckFunction", Files.readString(Project.root().resolve(EVENT)), err);
            emulator.awaitQuiet(Duration.ofMinutes(3));
            List<JsonNode> reports = reports(emulator);
            JsonNode last = reports.isEmpty() ? null : reports.get(reports.size() - 1);
            String outcome = last == null ? "NONE" : last.path("outcome").asText();
            ObjectNode after = view(instance.sandbox(), invoke(emulator, "DiagnoseFunction", diagnose, err));
            Revision expected = badRelease ? SampleEnvironment.BOOTED : desired;
            boolean asDesigned = outcome.equals(badRelease ? "ROLLED_BACK" : "REMEDIATED")
                    && expected.sha().equals(after.path("served").asText());
            err.println("demo --aws: " + outcome + "; " + instance.instanceId() + " now serves " + after.path("served").asText()
                    + (asDesigned ? " (as designed)" : " (NOT as designed)"));
            if (json) {
                ObjectNode n = JSON.createObjectNode();
                n.put("scenario", scenario).put("desired", desired.sha())
                        .put("repositoryUrl", emulator.functionVariables("DriftCheckFunction").get("REPOSITORY_URL"));
                n.set("before", before);
                n.set("after", after);
                n.put("outcome", outcome).put("asDesigned", asDesigned)
                        .put("durationMs", (System.nanoTime() - started) / 1_000_000)
                        .put("instanceId", instance.instanceId()).put("commandId", check.path("commandId").asText(null));
                n.putNull("workdir");
                n.set("diagnosis", diagnosis);
                n.set("notification", last);
                out.println(n);
            } else {
                out.printf("%s (aws): %s (desired %s; after: serving %s, /streams/live %d)%n", scenario, outcome,
                        desired.shortSha(), after.path("served").asText(), after.path("liveStatus").asInt());
            }
            return asDesigned ? 0 : 1;
        } finally {
            try (var files = Files.walk(state)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static JsonNode invoke(Emulator emulator, String function, String event, PrintStream err) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = InvokeCommand.invoke(function, event.getBytes(StandardCharsets.UTF_8), emulator.envVars(), null,
                new PrintStream(out, true, StandardCharsets.UTF_8), emulator.awsEnvironment());
        if (status != 0) err.println("demo --aws: " + function + " failed: " + out.toString(StandardCharsets.UTF_8));
        return JSON.readTree(out.toString(StandardCharsets.UTF_8));
    }

    /** The reports RemediationTopic published, from its SQS subscription. */
    static List<JsonNode> reports(Emulator emulator) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        try (SqsClient sqs = emulator.clients().build(SqsClient.builder())) {
            String queue = emulator.publicUrl(emulator.environment().reportQueueUrl());
            while (true) {
                var messages = sqs.receiveMessage(r -> r.queueUrl(queue).maxNumberOfMessages(10).waitTimeSeconds(1)).messages();
                if (messages.isEmpty()) return out;
                for (var m : messages) out.add(JSON.readTree(JSON.readTree(m.body()).path("Message").asText()));
            }
        }
    }

    /**
     * The revision on disk as DiagnoseFunction found it, and what the app answers: /version's revision and
     * /streams/live's status (404 before the new route).
     */
    private static ObjectNode view(Sandbox instance, JsonNode diagnosis) {
        Revision served = instance.served();
        return JSON.createObjectNode().put("revision", diagnosis.path("facts").path("app").path("revision").asText(null))
                .put("served", served == null ? null : served.sha()).put("liveStatus", instance.status("/streams/live"));
    }
}
