package com.driftremediator.aws;

import com.driftremediator.domain.CommandRunner;
import com.driftremediator.domain.Fleet;
import com.driftremediator.domain.Observation;
import com.driftremediator.domain.Revision;
import com.driftremediator.domain.Target;
import com.driftremediator.json.Json;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.StackResource;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.CommandInvocation;
import software.amazon.awssdk.services.ssm.model.CommandInvocationStatus;
import software.amazon.awssdk.services.ssm.model.GetCommandInvocationResponse;
import software.amazon.awssdk.services.ssm.model.InstanceInformation;
import software.amazon.awssdk.services.ssm.model.InstanceInformationStringFilter;
import software.amazon.awssdk.services.ssm.model.InvalidCommandIdException;
import software.amazon.awssdk.services.ssm.model.InvocationDoesNotExistException;
import software.amazon.awssdk.services.ssm.model.PingStatus;
import software.amazon.awssdk.services.ssm.model.SsmException;

/**
 * The environment's instances, as CloudFormation, Auto Scaling and Systems Manager know them: the app stack's
 * {@code AWS::EC2::Instance} resources and the instances of its {@code AWS::AutoScaling::AutoScalingGroup}
 * resources, nothing found by tag (a tag can be shared with another environment). Observation goes per batch of 50:
 * one DescribeInstanceInformation (managed status, agent version, private address) and one read-only ObserveDocument
 * command per batch, then polling every batch together (ListCommandInvocations with details, or GetCommandInvocation
 * per instance where that call is missing) until the one deadline; the served-revision probes run in parallel.
 * No EC2 API call: the EC2 SDK module is the largest part of a Lambda package and of its cold start.
 */
public final class SsmFleet implements Fleet {
    private static final Pattern SHA = Pattern.compile("\\b[0-9a-f]{40}\\b");
    private static final int BATCH = CommandRunner.MAX_BATCH;
    private static final Duration POLL = Duration.ofMillis(500);

    private final CloudFormationClient cloudFormation;
    private final Supplier<AutoScalingClient> autoScaling;
    private final SsmClient ssm;
    private final Config config;
    private final Clock clock;
    private HttpClient http;
    /** ListCommandInvocations answered a server error (an emulator without it): GetCommandInvocation from then on. */
    private volatile boolean listInvocations = true;

    /**
     * @param servedUrl URL of the version endpoint with {@code {privateIp}} in it, e.g.
     *                  {@code http://{privateIp}:8000/version}; null: the served revision is not probed
     */
    public record Config(String stackName, String observeDocument, Map<String, String> observeParameters,
                         String servedUrl, Duration probeTimeout) {
    }

    /** @param autoScaling built on first use: only stacks with an Auto Scaling group need it */
    public SsmFleet(CloudFormationClient cloudFormation, Supplier<AutoScalingClient> autoScaling, SsmClient ssm,
                    Config config, Clock clock) {
        this.cloudFormation = cloudFormation;
        this.autoScaling = autoScaling;
        this.ssm = ssm;
        this.config = config;
        this.clock = clock;
    }

    @Override
    public List<Target> targets() {
        List<StackResource> resources = cloudFormation.describeStackResources(r -> r.stackName(config.stackName()))
                .stackResources();
        Set<String> ids = new LinkedHashSet<>();
        List<String> groups = new ArrayList<>();
        for (StackResource r : resources) {
            if ("AWS::EC2::Instance".equals(r.resourceType()) && Target.isInstanceId(r.physicalResourceId())) {
                ids.add(r.physicalResourceId());
            } else if ("AWS::AutoScaling::AutoScalingGroup".equals(r.resourceType()) && r.physicalResourceId() != null) {
                groups.add(r.physicalResourceId());
            }
        }
        if (!groups.isEmpty()) {
            for (AutoScalingGroup g : autoScaling.get().describeAutoScalingGroupsPaginator(r -> r.autoScalingGroupNames(groups))
                    .autoScalingGroups()) {
                g.instances().stream()
                        .filter(i -> i.lifecycleStateAsString() == null || !i.lifecycleStateAsString().startsWith("Terminat"))
                        .map(i -> i.instanceId()).filter(Target::isInstanceId).forEach(ids::add);
            }
        }
        return ids.stream().map(Target::new).toList();
    }

    @Override
    public List<Observation> observeAll(List<Target> targets, Instant deadline) {
        Map<String, Observation> done = new HashMap<>();
        Map<String, String> ips = new HashMap<>();
        Map<String, String> agents = new HashMap<>();
        Map<String, List<String>> pending = new LinkedHashMap<>();
        for (int from = 0; from < targets.size(); from += BATCH) {
            List<String> ids = targets.subList(from, Math.min(from + BATCH, targets.size())).stream()
                    .map(Target::instanceId).toList();
            Map<String, InstanceInformation> info = byIds(ids);
            List<String> reachable = new ArrayList<>();
            for (String id : ids) {
                String cause = managedProblem(info.get(id));
                if (cause != null) {
                    done.put(id, Observation.unreachable(new Target(id), cause));
                    continue;
                }
                reachable.add(id);
                InstanceInformation i = info.get(id);
                if (i.ipAddress() != null) ips.put(id, i.ipAddress());
                if (i.agentVersion() != null) agents.put(id, i.agentVersion());
            }
            if (!reachable.isEmpty()) pending.put(sendObserve(reachable), reachable);
        }
        Map<String, CompletableFuture<Revision>> probes = probe(ips, deadline);
        Map<String, Json.Value> lines = collect(pending, deadline);
        List<Observation> out = new ArrayList<>();
        for (Target t : targets) {
            Observation unreachable = done.get(t.instanceId());
            if (unreachable != null) {
                out.add(unreachable);
                continue;
            }
            out.add(observation(t, lines.get(t.instanceId()), served(probes.get(t.instanceId()), deadline),
                    agents.get(t.instanceId())));
        }
        return out;
    }

    /**
     * A reachable instance as ObserveDocument's JSON line in {@code stdout} describes it (null or no line: nothing
     * observed on the instance), with the revision its process serves. The sandbox maps its own runs with this too.
     */
    public static Observation observation(Target target, String stdout, Revision served) {
        return observation(target, lastJsonLine(stdout), served, null);
    }

    private static Observation observation(Target target, Json.Value line, Revision served, String agentVersion) {
        return new Observation(target, Observation.Reachability.REACHABLE,
                line == null ? null : Revision.parse(line.path("onDisk").asText(null)).orElse(null),
                served,
                epoch(line, "serviceStartedEpoch"), epoch(line, "releaseSwitchedEpoch"),
                line == null || !line.path("healthy").isBoolean() ? null : line.path("healthy").asBoolean(false),
                agentVersion);
    }

    /** Why SSM cannot run commands on the instance; null when it can. */
    private static String managedProblem(InstanceInformation i) {
        if (i == null) {
            return "not managed by SSM: no instance profile with AmazonSSMManagedInstanceCore, "
                    + "or the SSM agent never registered";
        }
        if (i.pingStatus() != PingStatus.ONLINE) {
            return "SSM agent " + i.pingStatusAsString() + " since " + i.lastPingDateTime()
                    + ": agent stopped, or the instance is stopped or cut off from the SSM endpoints";
        }
        return null;
    }

    private Map<String, InstanceInformation> byIds(List<String> ids) {
        InstanceInformationStringFilter filter = InstanceInformationStringFilter.builder().key("InstanceIds").values(ids).build();
        Map<String, InstanceInformation> info = new LinkedHashMap<>();
        ssm.describeInstanceInformationPaginator(r -> r.filters(filter)).instanceInformationList()
                .forEach(i -> info.put(i.instanceId(), i));
        return info;
    }

    private String sendObserve(List<String> instanceIds) {
        Map<String, List<String>> parameters = new HashMap<>();
        config.observeParameters().forEach((k, v) -> parameters.put(k, List.of(v)));
        return ssm.sendCommand(r -> r.documentName(config.observeDocument()).instanceIds(instanceIds)
                .parameters(parameters).timeoutSeconds(30).maxConcurrency("100%").maxErrors("100%")
                .comment("drift-remediator observe (read-only)")).command().commandId();
    }

    /** ObserveDocument's JSON line per instance, for every batch together, until all answered or the deadline. */
    private Map<String, Json.Value> collect(Map<String, List<String>> pending, Instant deadline) {
        Map<String, Json.Value> lines = new HashMap<>();
        Map<String, Set<String>> open = new LinkedHashMap<>();
        pending.forEach((c, ids) -> open.put(c, new LinkedHashSet<>(ids)));
        while (!open.isEmpty()) {
            for (Map.Entry<String, Set<String>> e : open.entrySet()) {
                if (listInvocations) {
                    try {
                        pollBatch(e.getKey(), e.getValue(), lines);
                        continue;
                    } catch (SsmException ex) {
                        if (ex.statusCode() < 500) throw ex;
                        listInvocations = false;
                    }
                }
                pollEach(e.getKey(), e.getValue(), lines, deadline);
            }
            open.values().removeIf(Set::isEmpty);
            if (open.isEmpty() || !clock.instant().plus(POLL).isBefore(deadline)) break;
            sleep(POLL);
        }
        return lines;
    }

    /** One ListCommandInvocations (with the output) for the whole batch. */
    private void pollBatch(String commandId, Set<String> open, Map<String, Json.Value> lines) {
        for (CommandInvocation i : ssm.listCommandInvocationsPaginator(r -> r.commandId(commandId).details(true))
                .commandInvocations()) {
            if (!open.contains(i.instanceId()) || !terminal(i.status())) continue;
            open.remove(i.instanceId());
            if (i.status() == CommandInvocationStatus.SUCCESS) {
                StringBuilder out = new StringBuilder();
                i.commandPlugins().forEach(p -> out.append(p.output() == null ? "" : p.output()).append('\n'));
                Json.Value line = lastJsonLine(out.toString());
                if (line != null) lines.put(i.instanceId(), line);
            }
        }
    }

    /** GetCommandInvocation for each open instance of the batch, within the same deadline. */
    private void pollEach(String commandId, Set<String> open, Map<String, Json.Value> lines, Instant deadline) {
        for (String id : List.copyOf(open)) {
            if (!clock.instant().isBefore(deadline)) return;
            try {
                GetCommandInvocationResponse r = ssm.getCommandInvocation(b -> b.commandId(commandId).instanceId(id));
                if (!terminal(r.status())) continue;
                open.remove(id);
                if (r.status() == CommandInvocationStatus.SUCCESS) {
                    Json.Value line = lastJsonLine(r.standardOutputContent());
                    if (line != null) lines.put(id, line);
                }
            } catch (InvocationDoesNotExistException | InvalidCommandIdException notYet) {
                // right after SendCommand the invocation may not exist yet
            }
        }
    }

    /** Every version probe at once; each future ends by the deadline (null: no answer). */
    private Map<String, CompletableFuture<Revision>> probe(Map<String, String> ips, Instant deadline) {
        Map<String, CompletableFuture<Revision>> probes = new HashMap<>();
        if (config.servedUrl() == null || ips.isEmpty()) return probes;
        if (http == null) http = HttpClient.newBuilder().connectTimeout(config.probeTimeout()).build();
        Duration left = Duration.between(clock.instant(), deadline);
        Duration timeout = left.compareTo(config.probeTimeout()) < 0 ? left : config.probeTimeout();
        if (timeout.isNegative() || timeout.isZero()) return probes;
        ips.forEach((id, ip) -> probes.put(id, http.sendAsync(HttpRequest.newBuilder(URI.create(config.servedUrl()
                                .replace("{privateIp}", ip))).timeout(timeout).GET().build(), HttpResponse.BodyHandlers.ofString())
                .thenApply(SsmFleet::servedRevision).exceptionally(e -> null)));
        return probes;
    }

    private Revision served(CompletableFuture<Revision> probe, Instant deadline) {
        if (probe == null) return null;
        try {
            long ms = Math.max(1, Duration.between(clock.instant(), deadline).toMillis());
            return probe.get(ms, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (Exception e) {
            return null;
        }
    }

    static Revision servedRevision(HttpResponse<String> r) {
        if (r.statusCode() != 200) return null;
        Matcher m = SHA.matcher(r.body());
        return m.find() ? Revision.parse(m.group()).orElse(null) : null;
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
