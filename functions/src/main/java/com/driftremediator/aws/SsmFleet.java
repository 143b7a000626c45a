package com.driftremediator.aws;

import com.driftremediator.domain.Fleet;
import com.driftremediator.domain.Observation;
import com.driftremediator.domain.Revision;
import com.driftremediator.domain.Target;
import com.driftremediator.json.Json;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.StackResource;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.CommandInvocationStatus;
import software.amazon.awssdk.services.ssm.model.GetCommandInvocationResponse;
import software.amazon.awssdk.services.ssm.model.InstanceInformation;
import software.amazon.awssdk.services.ssm.model.InstanceInformationStringFilter;
import software.amazon.awssdk.services.ssm.model.InvocationDoesNotExistException;
import software.amazon.awssdk.services.ssm.model.PingStatus;

/**
 * The app's EC2 instances, as CloudFormation and Systems Manager know them: the stack's
 * {@code AWS::EC2::Instance} resources (or, when it has none, the SSM managed instances carrying the target tag),
 * their SSM managed status and private address, what is on disk (a short read-only ObserveDocument command) and
 * what the process serves (HTTP, when a probe URL is configured). No EC2 API call: the EC2 SDK module is the
 * largest part of a Lambda package and of its cold start, and SSM answers everything a check needs.
 */
public final class SsmFleet implements Fleet {
    private static final Pattern SHA = Pattern.compile("\\b[0-9a-f]{40}\\b");
    private static final int BATCH = 50;

    private final CloudFormationClient cloudFormation;
    private final SsmClient ssm;
    private final Config config;
    private final HttpClient http;
    /** Private addresses SSM reported for the instances, for the HTTP probe. */
    private final Map<String, String> privateIps = new ConcurrentHashMap<>();
    /** Prepared by {@link #targets()} for this check: why an instance is unreachable, or its observe command. */
    private final Map<String, String> unreachable = new ConcurrentHashMap<>();
    private final Map<String, String> observeCommands = new ConcurrentHashMap<>();

    /**
     * @param servedUrl   URL of the version endpoint with {@code {privateIp}} in it, e.g.
     *                    {@code http://{privateIp}:8000/version}; null: the served revision is not probed
     * @param observeWait how long to wait for ObserveDocument's answer
     */
    public record Config(String stackName, String tagKey, String tagValue, String observeDocument,
                         Map<String, String> observeParameters, String servedUrl, Duration observeWait,
                         Duration probeTimeout) {
    }

    public SsmFleet(CloudFormationClient cloudFormation, SsmClient ssm, Config config) {
        this.cloudFormation = cloudFormation;
        this.ssm = ssm;
        this.config = config;
        // java.net.http costs start-up time: build it only when the served revision is probed.
        this.http = config.servedUrl() == null ? null
                : HttpClient.newBuilder().connectTimeout(config.probeTimeout()).build();
    }

    @Override
    public List<Target> targets() {
        List<String> fromStack = cloudFormation.describeStackResources(r -> r.stackName(config.stackName()))
                .stackResources().stream()
                .filter(r -> "AWS::EC2::Instance".equals(r.resourceType()))
                .map(StackResource::physicalResourceId)
                .filter(Target::isInstanceId)
                .toList();
        privateIps.clear();
        if (!fromStack.isEmpty()) {
            List<Target> targets = fromStack.stream().map(Target::new).toList();
            prepare(targets, null);
            return targets;
        }
        // Stacks whose instances come from an Auto Scaling group have none: the managed nodes with the tag.
        // A node SSM does not manage is not listed, and could not be redeployed anyway.
        Map<String, InstanceInformation> tagged = instanceInformation(InstanceInformationStringFilter.builder()
                .key("tag:" + config.tagKey()).values(config.tagValue()).build());
        List<Target> targets = tagged.keySet().stream().filter(Target::isInstanceId).map(Target::new).toList();
        prepare(targets, tagged);
        return targets;
    }

    /**
     * One DescribeInstanceInformation and one ObserveDocument command per 50 targets rather than per target:
     * the instances run it in parallel while {@link #observe} collects the answers (and SSM is not throttled).
     */
    private void prepare(List<Target> targets, Map<String, InstanceInformation> known) {
        unreachable.clear();
        observeCommands.clear();
        for (int from = 0; from < targets.size(); from += BATCH) {
            List<String> ids = targets.subList(from, Math.min(from + BATCH, targets.size())).stream()
                    .map(Target::instanceId).toList();
            unreachable.putAll(managedProblems(ids, known != null ? known : byIds(ids)));
            List<String> reachable = ids.stream().filter(id -> !unreachable.containsKey(id)).toList();
            if (!reachable.isEmpty()) {
                String commandId = sendObserve(reachable);
                reachable.forEach(id -> observeCommands.put(id, commandId));
            }
        }
    }

    @Override
    public Observation observe(Target target) {
        String id = target.instanceId();
        String cause = unreachable.remove(id);
        String commandId = observeCommands.remove(id);
        if (cause == null && commandId == null) {
            // not prepared by targets(): CommandResultFunction verifying one instance after its redeploy
            cause = managedProblems(List.of(id), byIds(List.of(id))).get(id);
            if (cause == null) commandId = sendObserve(List.of(id));
        }
        if (cause != null) {
            return Observation.unreachable(target, cause);
        }
        String stdout = awaitObservation(commandId, target);
        return observation(target, stdout, probeServed(target));
    }

    /**
     * A reachable instance as ObserveDocument's JSON line in {@code stdout} describes it (null or no line: nothing
     * observed on the instance), with the revision its process serves. The sandbox maps its own runs with this too.
     */
    public static Observation observation(Target target, String stdout, Revision served) {
        Json.Value onInstance = lastJsonLine(stdout);
        return new Observation(target, Observation.Reachability.REACHABLE,
                onInstance == null ? null : Revision.parse(onInstance.path("onDisk").asText(null)).orElse(null),
                served,
                epoch(onInstance, "serviceStartedEpoch"), epoch(onInstance, "releaseSwitchedEpoch"),
                onInstance == null || !onInstance.path("healthy").isBoolean() ? null : onInstance.path("healthy").asBoolean(false));
    }

    /** Instance id to why SSM cannot run commands on it; reachable instances are absent. */
    private static Map<String, String> managedProblems(List<String> ids, Map<String, InstanceInformation> info) {
        Map<String, String> problems = new HashMap<>();
        for (String id : ids) {
            InstanceInformation i = info.get(id);
            if (i == null) {
                problems.put(id, "not managed by SSM: no instance profile with AmazonSSMManagedInstanceCore, "
                        + "or the SSM agent never registered");
            } else if (i.pingStatus() != PingStatus.ONLINE) {
                problems.put(id, "SSM agent " + i.pingStatusAsString() + " since " + i.lastPingDateTime()
                        + ": agent stopped, or the instance is stopped or cut off from the SSM endpoints");
            }
        }
        return problems;
    }

    private Map<String, InstanceInformation> byIds(List<String> ids) {
        return instanceInformation(InstanceInformationStringFilter.builder().key("InstanceIds").values(ids).build());
    }

    /** SSM's managed-instance records matching the filter; remembers their private addresses for the probe. */
    private Map<String, InstanceInformation> instanceInformation(InstanceInformationStringFilter filter) {
        Map<String, InstanceInformation> info = new LinkedHashMap<>();
        ssm.describeInstanceInformationPaginator(r -> r.filters(filter)).instanceInformationList().forEach(i -> {
            info.put(i.instanceId(), i);
            if (i.ipAddress() != null) privateIps.put(i.instanceId(), i.ipAddress());
        });
        return info;
    }

    private String sendObserve(List<String> instanceIds) {
        Map<String, List<String>> parameters = new HashMap<>();
        config.observeParameters().forEach((k, v) -> parameters.put(k, List.of(v)));
        return ssm.sendCommand(r -> r.documentName(config.observeDocument()).instanceIds(instanceIds)
                .parameters(parameters).timeoutSeconds(30).maxConcurrency("100%").maxErrors("100%")
                .comment("drift-remediator observe (read-only)")).command().commandId();
    }

    /** ObserveDocument's stdout, or null when it could not be read in time (the verdict is then UNKNOWN). */
    private String awaitObservation(String commandId, Target target) {
        Instant deadline = Instant.now().plus(config.observeWait());
        while (true) {
            try {
                GetCommandInvocationResponse r = ssm.getCommandInvocation(b -> b.commandId(commandId)
                        .instanceId(target.instanceId()));
                if (r.status() == CommandInvocationStatus.SUCCESS) {
                    return r.standardOutputContent();
                }
                if (terminal(r.status())) {
                    return null;
                }
            } catch (InvocationDoesNotExistException notYet) {
                // right after SendCommand the invocation may not exist yet
            }
            if (Instant.now().isAfter(deadline)) return null;
            sleep(Duration.ofMillis(500));
        }
    }

    private Revision probeServed(Target target) {
        if (config.servedUrl() == null) return null;
        String ip = privateIps.get(target.instanceId());
        if (ip == null) return null;
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(config.servedUrl().replace("{privateIp}", ip)))
                    .timeout(config.probeTimeout()).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) return null;
            Matcher m = SHA.matcher(r.body());
            return m.find() ? Revision.parse(m.group()).orElse(null) : null;
        } catch (java.io.IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    static Json.Value lastJsonLine(String stdout) {
        if (stdout == null) return null;
        String[] lines = stdout.split("\n");
        for (int i = lines.length - 1; i >= 0; i--) {
            String t = lines[i].strip();
            if (!t.startsWith("{")) continue;
            Json.Value line = Json.parseObject(t);
            if (line != null) return line;
        }
        return null;
    }

    private static Instant epoch(Json.Value n, String field) {
        Long seconds = n == null ? null : n.path(field).longValue();
        return seconds == null || seconds <= 0 || seconds > Instant.MAX.getEpochSecond() ? null
                : Instant.ofEpochSecond(seconds);
    }

    static boolean terminal(CommandInvocationStatus s) {
        return s != CommandInvocationStatus.PENDING && s != CommandInvocationStatus.IN_PROGRESS
                && s != CommandInvocationStatus.DELAYED;
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
