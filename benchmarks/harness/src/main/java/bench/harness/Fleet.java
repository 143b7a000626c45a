package bench.harness;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.driftremediator.aws.AwsClients;
import com.driftremediator.aws.Settings;
import com.driftremediator.cli.Emulator;
import com.driftremediator.cli.LocalContext;
import com.driftremediator.cli.SampleEnvironment;
import com.driftremediator.handler.AwsWiring;
import com.driftremediator.handler.DriftCheckHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.Command;
import software.amazon.awssdk.services.ssm.model.CommandInvocation;
import software.amazon.awssdk.services.ssm.model.CommandPlugin;

/**
 * benchmarks/run --fleet: for each fleet size, the emulator with that many instances (the first booted by its
 * UserData, the others copies of its disk with the service stopped: Emulator.Config's {@code copies}), then one
 * scheduled drift check through the real DriftCheckHandler in this JVM, its SDK calls real HTTP to the emulator's
 * front, with the Lambda timeout of template.yaml as its budget. Prints the check's wall time, the AWS calls the
 * front counted during it (SSM by operation), the verdicts and decisions, and how long the emulated instances took
 * to run ObserveDocument, which bounds the check here (8 agent threads on this machine's cores).
 */
final class Fleet {
    static final List<Integer> DEFAULT_SIZES = List.of(50, 200, 1000);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FUNCTION = "DriftCheckFunction";

    /** One size's figures. {@code observeSpanMs}: first ObserveDocument run started to last one ended. */
    record Result(int instances, long checkMs, Map<String, Long> ssmCalls, Map<String, Long> otherCalls,
                  Map<String, Integer> verdicts, Map<String, Integer> decisions, long observeSpanMs, long observeSumMs,
                  List<String> unexpected) {
    }

    private Fleet() {
    }

    static List<Result> run(Path root, List<Integer> sizes) throws Exception {
        String event = Files.readString(root.resolve("events/schedule.json"));
        int timeoutSeconds = new Template(root.resolve("template.yaml")).timeoutSeconds(FUNCTION);
        List<Result> results = new ArrayList<>();
        for (int i = 0; i < sizes.size(); i++) {
            // The first size also checks once untimed: the SDK path loaded and compiled, as in a container that ran before.
            results.add(one(root, sizes.get(i), event, timeoutSeconds, i == 0));
        }
        return results;
    }

    private static Result one(Path root, int instances, String event, int timeoutSeconds, boolean warmUp) throws Exception {
        Path state = root.resolve("benchmarks/target/fleet/" + instances);
        List<String> unexpected = new CopyOnWriteArrayList<>();
        System.err.printf("fleet: %d instances: starting the emulator%n", instances);
        try (Emulator emulator = Emulator.start(new Emulator.Config(state, freePort(), "streamr-p2p-beta", instances,
                null, null, (function, e) -> unexpected.add(function), true))) {
            AwsClients clients = new AwsClients(Region.of("eu-west-1"),
                    StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")), emulator.endpoint());
            // In sync: the stack names the commit every instance booted at, so the check observes and sends nothing.
            try (CloudFormationClient cfn = clients.build(CloudFormationClient.builder())) {
                cfn.updateStack(r -> r.stackName("streamr-p2p-beta").usePreviousTemplate(true)
                        .parameters(p -> p.parameterKey("AppRevision").parameterValue(SampleEnvironment.BOOTED.sha())));
            }
            Map<String, String> variables = new HashMap<>(emulator.functionVariables(FUNCTION));
            // The copies share the booted instance's address: N probes would all reach its one process.
            variables.put("SERVED_URL", "");
            DriftCheckHandler handler = new DriftCheckHandler(new AwsWiring(new Settings(variables), clients));
            Path log = state.resolve("function.log");
            if (warmUp) check(handler, event, timeoutSeconds, log);
            List<String> earlier = observeCommands(clients);
            Map<String, Long> before = emulator.calls();
            long t0 = System.nanoTime();
            JsonNode response = check(handler, event, timeoutSeconds, log);
            long checkMs = (System.nanoTime() - t0) / 1_000_000;
            Map<String, Long> calls = delta(before, emulator.calls());
            long[] observe = observeRuns(clients, earlier);
            Result r = new Result(instances, checkMs, only(calls, true), only(calls, false), tally(response, "verdict"),
                    tally(response, "decision"), observe[0], observe[1], List.copyOf(unexpected));
            System.err.printf("fleet: %d instances: check %d ms%n", instances, checkMs);
            return r;
        }
    }

    /** One invocation; its log (stderr, a line per target) goes to {@code log}, not between the progress lines. */
    private static JsonNode check(DriftCheckHandler handler, String event, int timeoutSeconds, Path log) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream stderr = System.err;
        try (PrintStream file = new PrintStream(Files.newOutputStream(log, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND), true, StandardCharsets.UTF_8)) {
            System.setErr(file);
            handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out,
                    LocalContext.withBudget(FUNCTION, timeoutSeconds * 1000L, 1024));
        } finally {
            System.setErr(stderr);
        }
        return JSON.readTree(out.toByteArray());
    }

    private static List<String> observeCommands(AwsClients clients) {
        try (SsmClient ssm = clients.build(SsmClient.builder())) {
            return ssm.listCommandsPaginator(r -> { }).commands().stream()
                    .filter(c -> c.documentName().contains("observe")).map(Command::commandId).toList();
        }
    }

    /** The ObserveDocument runs of the commands not in {@code earlier}: [first start to last end, sum of runs] in ms. */
    private static long[] observeRuns(AwsClients clients, List<String> earlier) {
        Instant first = null;
        Instant last = null;
        long sum = 0;
        try (SsmClient ssm = clients.build(SsmClient.builder())) {
            for (String id : observeCommands(clients)) {
                if (earlier.contains(id)) continue;
                for (CommandInvocation i : ssm.listCommandInvocationsPaginator(r -> r.commandId(id).details(true))
                        .commandInvocations()) {
                    for (CommandPlugin p : i.commandPlugins()) {
                        if (p.responseStartDateTime() == null || p.responseFinishDateTime() == null) continue;
                        if (first == null || p.responseStartDateTime().isBefore(first)) first = p.responseStartDateTime();
                        if (last == null || p.responseFinishDateTime().isAfter(last)) last = p.responseFinishDateTime();
                        sum += p.responseFinishDateTime().toEpochMilli() - p.responseStartDateTime().toEpochMilli();
                    }
                }
            }
        }
        return new long[] {first == null ? 0 : last.toEpochMilli() - first.toEpochMilli(), sum};
    }

    /** Calls made between two snapshots of the front's counter, by operation. */
    static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> d = new TreeMap<>();
        after.forEach((op, n) -> {
            long made = n - before.getOrDefault(op, 0L);
            if (made > 0) d.put(op, made);
        });
        return d;
    }

    /** SSM's calls without the "AmazonSSM." prefix ({@code ssm}), or every other call. */
    static Map<String, Long> only(Map<String, Long> calls, boolean ssm) {
        Map<String, Long> out = new TreeMap<>();
        calls.forEach((op, n) -> {
            if (op.startsWith("AmazonSSM.") == ssm) out.put(ssm ? op.substring("AmazonSSM.".length()) : op, n);
        });
        return out;
    }

    /** The response's targets counted by "SYNC/HEALTH" ({@code verdict}) or by action ({@code decision}). */
    static Map<String, Integer> tally(JsonNode response, String what) {
        Map<String, Integer> counts = new TreeMap<>();
        for (JsonNode t : response.path("targets")) {
            JsonNode n = t.path(what);
            String key = what.equals("verdict") ? n.path("sync").asText() + "/" + n.path("health").asText()
                    : n.path("action").asText();
            counts.merge(key, 1, Integer::sum);
        }
        return counts;
    }

    /** The printed table; a warning when observation fell back to GetCommandInvocation per instance. */
    static String table(List<Result> results, String machine) {
        StringBuilder out = new StringBuilder("fleet: one scheduled drift check (DriftCheckHandler in-process, real HTTP "
                + "to the emulator's front); " + machine + "\n\n");
        out.append("| instances | check s | SSM calls | other AWS calls | verdicts | decisions "
                + "| ObserveDocument runs: first start to last end s, sum s |\n");
        out.append("|---:|---:|---|---|---|---|---:|\n");
        for (Result r : results) {
            out.append(String.format("| %d | %.1f | %s | %s | %s | %s | %.1f, %.1f |%n", r.instances(),
                    r.checkMs() / 1000.0, words(r.ssmCalls()), words(r.otherCalls()), words(r.verdicts()),
                    words(r.decisions()), r.observeSpanMs() / 1000.0, r.observeSumMs() / 1000.0));
        }
        for (Result r : results) {
            if (r.ssmCalls().getOrDefault("GetCommandInvocation", 0L) > 0 || !r.ssmCalls().containsKey("ListCommandInvocations")) {
                out.append("warning: ").append(r.instances()).append(" instances: not polled per batch (")
                        .append(words(r.ssmCalls())).append(")\n");
            }
            if (!r.unexpected().isEmpty()) {
                out.append("warning: ").append(r.instances()).append(" instances: events invoked ")
                        .append(r.unexpected()).append('\n');
            }
        }
        return out.toString();
    }

    private static String words(Map<String, ? extends Number> counts) {
        List<String> parts = new ArrayList<>();
        counts.forEach((k, v) -> parts.add(k + " " + v));
        return parts.isEmpty() ? "none" : String.join(", ", parts);
    }

    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
