package bench.harness;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * benchmarks/run: cold starts (fresh JVM per invocation, process start to response) and warm invocations of the
 * functions, the floor and the naive baseline, through AWS's runtime interface client against a loopback Runtime API,
 * with moto behind AWS_ENDPOINT_URL; the start-up variants side by side; the deployment zip's size.
 */
public final class Bench {
    private static final PrintStream LOG = System.err;
    static final Path JDK17 = Path.of("/usr/lib/jvm/java-17-openjdk-amd64");
    static final Path JDK25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");
    static final String SNAPSTART = "as deployed, SnapStart: first invocation after the restore (init column: init and priming)";
    static final String SNAPSTART_UNPRIMED = "as deployed, SnapStart without priming (SNAPSTART_PRIMING=off): the same";
    static final String SNAPSTART_COMMAND_RESULT = "CommandResultFunction, SnapStart: first invocation after the restore";
    static final List<String> OURS = List.of("DriftCheckFunction", "CommandResultFunction", "GitHubWebhookFunction");

    private final Path root;
    private final Path work;
    private final int coldRuns;
    private final int warmRuns;
    private final boolean redeploy;
    private final boolean startupVariants;
    private final List<String> compare;
    private final List<String> only;
    private final List<String> variantFilter;
    private Launcher launcher;
    private int retried;

    private Bench(Path root, int coldRuns, int warmRuns, boolean redeploy, boolean startupVariants, List<String> only,
                  List<String> compare, List<String> variantFilter) {
        this.only = only;
        this.variantFilter = variantFilter;
        this.compare = compare;
        this.redeploy = redeploy;
        this.startupVariants = startupVariants;
        this.root = root;
        this.work = root.resolve("benchmarks/target/work");
        this.coldRuns = coldRuns;
        this.warmRuns = warmRuns;
    }

    public static void main(String[] args) throws Exception {
        // Headers and body go out in separate writes: without TCP_NODELAY each answer of the loopback servers
        // waits ~40 ms for a delayed ACK. Read once, when the first HttpServer is created.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        boolean json = false;
        boolean redeploy = true;
        boolean variants = true;
        int cold = 10;
        int warm = 100;
        List<String> only = OURS;
        List<String> compare = List.of();
        List<String> variantFilter = List.of();
        List<Integer> fleet = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--json" -> json = true;
                case "--fleet" -> fleet = Fleet.DEFAULT_SIZES;
                case "--fleet-sizes" -> fleet = Stream.of(args[++i].split(",")).map(Integer::valueOf).toList();
                case "--skip-redeploy" -> redeploy = false;
                case "--skip-variants" -> variants = false;
                case "--cold" -> cold = Integer.parseInt(args[++i]);
                case "--warm" -> warm = Integer.parseInt(args[++i]);
                case "--compare" -> compare = List.of(args[++i].split(","));
                case "--variants" -> variantFilter = List.of(args[++i].toLowerCase().split(","));
                case "--only" -> {
                    only = List.of(args[++i].split(","));
                    if (!OURS.containsAll(only)) throw new IllegalArgumentException("--only takes some of " + OURS);
                }
                default -> throw new IllegalArgumentException("usage: benchmarks/run [--json] [--cold N] [--warm N] [--only FUNCTION[,FUNCTION]] [--skip-redeploy] [--skip-variants] [--variants TEXT[,TEXT]] [--compare DIR|JVM-FLAGS[,...]] | --fleet [--fleet-sizes N[,N]] [--json]");
            }
        }
        Path root = Path.of(System.getProperty("bench.root")).toAbsolutePath();
        if (fleet != null) {
            String machine = java.lang.Runtime.getRuntime().availableProcessors() + " cores, load " + Files.readString(Path.of("/proc/loadavg")).trim();
            List<Fleet.Result> results = Fleet.run(root, fleet);
            String text = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(
                    Map.of("machine", machine + " at start, " + Files.readString(Path.of("/proc/loadavg")).trim() + " at end",
                            "fleet", results));
            Files.writeString(root.resolve("benchmarks/target/fleet.json"), text);
            System.out.println(json ? text : Fleet.table(results, machine + " at start"));
            System.exit(0);
        }
        Map<String, Object> result = new Bench(root, cold, warm, redeploy, variants, only, compare, variantFilter).run();
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        String text = mapper.writeValueAsString(result);
        Files.writeString(root.resolve("benchmarks/target/results.json"), text);
        if (json) {
            System.out.println(text);
        } else {
            System.out.println(Report.table(result));
        }
        System.exit(0);
    }

    private Map<String, Object> run() throws Exception {
        String loadAtStart = Files.readString(Path.of("/proc/loadavg")).trim();
        deleteTree(work);
        Files.createDirectories(work);
        Path logs = work.resolve("logs");
        Files.createDirectories(logs);
        Template template = new Template(root.resolve("template.yaml"));

        Path floorRoot = taskRoot("floor", root.resolve("benchmarks/floor/target/classes"), null);
        Path naiveRoot = taskRoot("naive", root.resolve("benchmarks/naive/target/classes"),
                root.resolve("benchmarks/naive/target/lib"));
        // The packages `sam build` made (benchmarks/run): one per function, as deployed.
        Path packages = root.resolve("benchmarks/target/sam-build");
        Map<String, Long> packageZipBytes = new LinkedHashMap<>();
        try (Stream<Path> built = Files.list(packages)) {
            for (Path dir : built.filter(Files::isDirectory).sorted().toList()) {
                packageZipBytes.put(dir.getFileName().toString(), zip(dir, work.resolve(dir.getFileName() + ".zip")));
            }
        }
        long zipBytes = packageZipBytes.getOrDefault("DriftCheckFunction", -1L);
        long naiveZipBytes = zip(naiveRoot, work.resolve("naive.zip"));
        LOG.printf("bench: deployment zips %s (naive %d)%n", packageZipBytes, naiveZipBytes);

        // Every AWS call of a measured function goes over TLS, as on Lambda.
        FrontTls tls = FrontTls.create(work.resolve("tls"), JDK17);
        try (Moto moto = Moto.start(root.resolve(".venv"), logs.resolve("moto.log"));
             AwsFront front = new AwsFront(moto.endpoint(), new Fixture(moto), tls)) {
            Fixture fixture = front.fixture();
            launcher = new Launcher(root.resolve("benchmarks/runtime/target/lib"), front.tlsEndpoint().toString(),
                    tls.clientFlags(), logs);
            Functions functions = new Functions(front.endpoint(), fixture, template, root);

            String templateRuntime = template.runtime("DriftCheckFunction");
            String toolOptions = template.environment("DriftCheckFunction", fixture::physical)
                    .getOrDefault("JAVA_TOOL_OPTIONS", "");
            Path jdk = templateRuntime != null && templateRuntime.equals("java25") ? JDK25 : JDK17;
            Runtime lambdaDefault = new Runtime("runtime defaults", jdk, true, "", Runtime.Archive.NONE);
            Runtime deployed = new Runtime("as deployed", jdk, true, toolOptions, Runtime.Archive.NONE);

            Subject floor = new Subject("Floor", floorRoot, "bench.floor.FloorHandler::handleRequest", Map.of(),
                    () -> "{\"hello\":\"world\"}", () -> { });
            Subject naive = new Subject("NaiveDriftCheck", naiveRoot, "bench.naive.NaiveDriftCheckHandler::handleRequest",
                    Map.of("DOCUMENT_NAME", fixture.documentName), fixture::cloudFormationEvent, () -> { });
            List<Subject> ours = new ArrayList<>();
            for (String id : OURS.stream().filter(only::contains).toList()) {
                Subject s = functions.subject(id, packages.resolve(id));
                if (s == null) {
                    LOG.println("bench: " + id + " is not in template.yaml or its handler class is missing: skipped");
                } else {
                    ours.add(s);
                }
            }

            // Every configuration measured, cold; round-robin so drift in the machine's load spreads evenly.
            List<Config> configs = new ArrayList<>();
            configs.add(new Config("floor", floor, lambdaDefault));
            configs.add(new Config("naive", naive, lambdaDefault));
            for (Subject s : ours) configs.add(new Config(s.id(), s, deployed));
            Subject driftCheck = ours.stream().filter(s -> s.id().equals("DriftCheckFunction")).findFirst().orElse(null);
            List<Config> variants = new ArrayList<>();
            if (driftCheck != null && startupVariants) {
                variants.add(new Config("java17, JVM default tiered (C2)", driftCheck,
                        new Runtime("C2", JDK17, false, "", Runtime.Archive.NONE)));
                variants.add(new Config("java17, C1 only (java21 runtime default)", driftCheck,
                        new Runtime("C1", JDK17, true, "", Runtime.Archive.NONE)));
                // The deployed flags before CompileThresholdScaling: warm too, to show what that flag buys.
                variants.add(new Config("java17, C1, no app bytecode verification, default compile thresholds", driftCheck,
                        new Runtime("C1 noverify", JDK17, true, "-XX:+UnlockDiagnosticVMOptions -XX:-BytecodeVerificationRemote", Runtime.Archive.NONE),
                        true));
                // The deployed flags before -XX:CICompilerCount=1: warm too, to show what one compiler thread costs there.
                variants.add(new Config("java17, deployed flags with the JVM's two compiler threads", driftCheck,
                        new Runtime("2 compiler threads", JDK17, true,
                                toolOptions.replace("-XX:CICompilerCount=1", "").replaceAll(" +", " ").strip(),
                                Runtime.Archive.NONE),
                        true));
                // SnapStart (the template enables it): init and priming before the snapshot, then the first invocation.
                Runtime snapStart = new Runtime("SnapStart", jdk, true, toolOptions, Runtime.Archive.NONE, null, true);
                variants.add(new Config(SNAPSTART, driftCheck, snapStart));
                Map<String, String> noPriming = new LinkedHashMap<>(driftCheck.env());
                noPriming.put("SNAPSTART_PRIMING", "off");
                variants.add(new Config(SNAPSTART_UNPRIMED, new Subject(driftCheck.id(), driftCheck.taskRoot(),
                        driftCheck.handler(), noPriming, driftCheck.event(), driftCheck.beforeEach()), snapStart));
                // The template's other SnapStart function.
                ours.stream().filter(s -> s.id().equals("CommandResultFunction")).findFirst().ifPresent(commandResult ->
                        variants.add(new Config(SNAPSTART_COMMAND_RESULT, commandResult, snapStart)));
                variants.add(new Config("java17, C1 + AppCDS archive", driftCheck,
                        new Runtime("C1+CDS", JDK17, true, "", Runtime.Archive.APP_CDS)));
                variants.add(new Config("java25, C1 only", driftCheck,
                        new Runtime("25 C1", JDK25, true, "", Runtime.Archive.NONE)));
                variants.add(new Config("java25, C1 + AOT cache", driftCheck,
                        new Runtime("25 C1+AOT", JDK25, true, "", Runtime.Archive.AOT_CACHE)));
                variants.add(new Config("java25 floor", floor,
                        new Runtime("25 floor", JDK25, true, "", Runtime.Archive.NONE)));
                variants.add(new Config("java25 naive", naive,
                        new Runtime("25 naive", JDK25, true, "", Runtime.Archive.NONE)));
                // Lambda gives a function with less than 1769 MB less than one vCPU: the same JVMs on one core.
                String lastCpu = Integer.toString(java.lang.Runtime.getRuntime().availableProcessors() - 1);
                variants.add(new Config("as deployed, one CPU", driftCheck,
                        new Runtime("as deployed, 1 CPU", jdk, true, toolOptions, Runtime.Archive.NONE, lastCpu)));
                variants.add(new Config("naive, one CPU", naive,
                        new Runtime("naive, 1 CPU", jdk, true, "", Runtime.Archive.NONE, lastCpu)));
            }
            // --variants: only the start-up variants whose label contains one of the texts.
            if (!variantFilter.isEmpty()) {
                variants.removeIf(v -> variantFilter.stream().noneMatch(v.label.toLowerCase()::contains));
            }
            // --compare: another DriftCheckFunction package (a directory: a change's before or after), or the deployed
            // package with JVM flags added (an entry starting with "-"); every round, warm too.
            List<Config> compared = new ArrayList<>();
            for (String entry : driftCheck == null ? List.<String>of() : compare) {
                if (entry.startsWith("-")) {
                    Runtime flagged = new Runtime("as deployed " + entry, jdk, true, toolOptions + " " + entry,
                            Runtime.Archive.NONE);
                    compared.add(new Config("as deployed, " + entry, driftCheck, flagged, true));
                } else {
                    Path dir = Path.of(entry).toAbsolutePath();
                    Subject other = new Subject(driftCheck.id(), dir, driftCheck.handler(), driftCheck.env(),
                            driftCheck.event(), driftCheck.beforeEach());
                    compared.add(new Config("as deployed, package " + dir, other, deployed, true));
                }
            }
            variants.addAll(compared);
            List<Config> all = new ArrayList<>(configs);
            all.addAll(variants);
            for (Config c : all) {
                if (c.runtime.archive() != Runtime.Archive.NONE) train(c);
            }
            for (int i = 0; i < coldRuns; i++) {
                LOG.printf("bench: cold round %d/%d%n", i + 1, coldRuns);
                for (Config c : all) {
                    // The start-up variants every other round: half the samples, to keep the run short.
                    if (variants.contains(c) && !compared.contains(c) && i % 2 == 1) continue;
                    c.cold.add(coldWithOneRetry(c));
                }
            }
            Map<String, Warm> warm = new LinkedHashMap<>();
            List<Config> warmed = new ArrayList<>(configs);
            // C1 only helps the cold start and costs peak speed: the warm figure with C2 shows the trade.
            variants.stream().filter(v -> !v.runtime.c1Only() || v.warmToo).forEach(warmed::add);
            for (Config c : warmed) {
                LOG.printf("bench: warm %s (%d invocations)%n", c.label, warmRuns);
                warm.put(c.label, warm(c));
            }
            Map<String, Object> result = Report.result(configs, variants, warm, zipBytes, naiveZipBytes, deployed);
            result.put("packageZipBytes", packageZipBytes);
            result.put("awsEndpoint", "TLS: " + front.tlsEndpoint() + " (the front to moto; JDK cacerts plus its certificate)");
            result.put("retriedSamples", retried);
            @SuppressWarnings("unchecked")
            Map<String, Object> machine = (Map<String, Object>) result.get("machine");
            machine.put("loadAverageAtStart", loadAtStart);
            if (!redeploy) return result;
            LOG.println("bench: redeploy in the local sandbox");
            Map<String, Object> redeploys = new Redeploys(root, work, 3).measure();
            result.put("redeploy", redeploys);
            @SuppressWarnings("unchecked")
            Map<String, Boolean> targets = (Map<String, Boolean>) result.get("targets");
            if (targets != null) targets.put("codeOnlyRedeployAtMostQuarterOfNaive", (double) redeploys.get("ratio") <= 0.25);
            return result;
        }
    }

    /** One measured configuration: a subject under a runtime, and its cold samples. */
    static final class Config {
        final String label;
        final Subject subject;
        final Runtime runtime;
        Path archive;
        final List<Sample> cold = new ArrayList<>();

        /** Also measured warm (every configuration that is not C1 only is). */
        final boolean warmToo;

        Config(String label, Subject subject, Runtime runtime) {
            this(label, subject, runtime, false);
        }

        Config(String label, Subject subject, Runtime runtime, boolean warmToo) {
            this.label = label;
            this.subject = subject;
            this.runtime = runtime;
            this.warmToo = warmToo;
        }
    }

    /**
     * Process start to response; {@code initMs} is process start to the runtime's first poll (JVM + handler init);
     * {@code cpuMs} the CPU time the process used by then (user + system, all threads), which other load on the
     * machine disturbs less than wall time.
     */
    record Sample(double totalMs, double initMs, double cpuMs) {
    }

    private static double cpuMillis(Process p) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + p.pid() + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10.0; // utime, stime in 1/100 s
    }

    /** Handler time, and the same without the AWS round trips, and without the whole SDK calls (our code alone). */
    record Warm(List<Double> handlerMs, List<Double> nonAwsMs, List<Double> outsideSdkMs, double awsCallsPerInvocation) {
    }

    /** One retry for a failed sample (the emulator or its shared venv can hiccup); counted in the result. */
    private Sample coldWithOneRetry(Config c) throws Exception {
        try {
            return cold(c);
        } catch (IllegalStateException e) {
            retried++;
            LOG.println("bench: " + c.label + ": sample failed, retrying once: " + e.getMessage().lines().findFirst().orElse(""));
            return cold(c);
        }
    }

    private Sample cold(Config c) throws Exception {
        return coldSample(launcher, c, work.resolve("logs"));
    }

    /** One cold start of {@code c} in a fresh JVM with its own Runtime API (SnapStart: from the restore on). */
    static Sample coldSample(Launcher launcher, Config c, Path logs) throws Exception {
        c.subject.beforeEach().run();
        try (RuntimeApi api = new RuntimeApi()) {
            RuntimeApi.Invocation invocation = api.submit(c.subject.event().get());
            long start = System.nanoTime();
            Process p = launcher.start(c.subject, c.runtime, c.archive, false, api, c.subject.taskRoot(), Map.of());
            try {
                if (c.runtime.snapStart()) {
                    // Init and priming end at the runtime's restore/next, where Lambda snapshots the JVM; measured from
                    // the restore on: the first invocation of a restored environment (not the restore itself).
                    long checkpoint = api.checkpoint().get(60, java.util.concurrent.TimeUnit.SECONDS);
                    double cpuAtCheckpoint = cpuMillis(p);
                    long restore = System.nanoTime();
                    api.restore();
                    RuntimeApi.Answer answer = Launcher.await(invocation, p, c.subject, logs);
                    return new Sample((answer.at() - restore) / 1e6, (checkpoint - start) / 1e6,
                            cpuMillis(p) - cpuAtCheckpoint);
                }
                RuntimeApi.Answer answer = Launcher.await(invocation, p, c.subject, logs);
                return new Sample((answer.at() - start) / 1e6, (api.firstPoll().get() - start) / 1e6, cpuMillis(p));
            } finally {
                Launcher.stop(p);
            }
        }
    }

    /** A training run: a few invocations, then a normal JVM exit (SIGTERM), which writes the archive. */
    private void train(Config c) throws Exception {
        String suffix = c.runtime.archive() == Runtime.Archive.APP_CDS ? ".jsa" : ".aot";
        c.archive = work.resolve("archives").resolve(c.subject.id() + "-" + c.runtime.label().replaceAll("\\W", "") + suffix);
        Files.createDirectories(c.archive.getParent());
        LOG.println("bench: training " + c.archive.getFileName());
        try (RuntimeApi api = new RuntimeApi()) {
            Process p = launcher.start(c.subject, c.runtime, c.archive, true, api, c.subject.taskRoot(), Map.of());
            for (int i = 0; i < 3; i++) {
                c.subject.beforeEach().run();
                Launcher.await(api.submit(c.subject.event().get()), p, c.subject, work.resolve("logs"));
            }
            p.destroy();
            if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                Launcher.stop(p);
                throw new IllegalStateException("training run for " + c.archive + " did not exit");
            }
        }
        if (!Files.exists(c.archive)) throw new IllegalStateException("training wrote no " + c.archive);
    }

    /** One JVM, one untimed first invocation, then {@code warmRuns} timed ones (handler time, and outside AWS calls). */
    private Warm warm(Config c) throws Exception {
        Path taskRoot = withProbe(c.subject.taskRoot());
        Path roundTrips = work.resolve("round-trips-" + c.label.replaceAll("[^A-Za-z0-9]+", "-") + ".log");
        Path sdkCalls = work.resolve("sdk-calls-" + c.label.replaceAll("[^A-Za-z0-9]+", "-") + ".log");
        for (Path log : List.of(roundTrips, sdkCalls)) {
            Files.deleteIfExists(log);
            Files.createFile(log);
        }
        List<Double> handler = new ArrayList<>();
        List<Double> nonAws = new ArrayList<>();
        List<Double> outsideSdk = new ArrayList<>();
        long calls = 0;
        try (RuntimeApi api = new RuntimeApi()) {
            Process p = launcher.start(c.subject, c.runtime, c.archive, false, api, taskRoot,
                    Map.of("BENCH_ROUND_TRIP_LOG", roundTrips.toString(), "BENCH_SDK_CALL_LOG", sdkCalls.toString()));
            try {
                long seen = 0;
                for (int i = 0; i <= warmRuns; i++) {
                    c.subject.beforeEach().run();
                    seen = Files.size(roundTrips);
                    long sdkSeen = Files.size(sdkCalls);
                    int linesBefore = Files.readAllLines(roundTrips).size();
                    RuntimeApi.Invocation invocation = api.submit(c.subject.event().get());
                    RuntimeApi.Answer answer = Launcher.await(invocation, p, c.subject, work.resolve("logs"));
                    if (i == 0) continue;
                    double total = (answer.at() - invocation.delivered) / 1e6;
                    double aws = millisLoggedSince(roundTrips, seen);
                    calls += Files.readAllLines(roundTrips).size() - linesBefore;
                    handler.add(total);
                    nonAws.add(total - aws);
                    outsideSdk.add(total - millisLoggedSince(sdkCalls, sdkSeen));
                }
            } finally {
                Launcher.stop(p);
            }
        }
        return new Warm(handler, nonAws, outsideSdk, warmRuns == 0 ? 0 : (double) calls / warmRuns);
    }

    /** The durations (nanoseconds, one per line) the probe appended to {@code log} after {@code offset}, in ms. */
    private static double millisLoggedSince(Path log, long offset) throws IOException {
        byte[] all = Files.readAllBytes(log);
        String fresh = new String(all, (int) offset, all.length - (int) offset, StandardCharsets.US_ASCII);
        return fresh.lines().filter(l -> !l.isBlank()).mapToLong(Long::parseLong).sum() / 1e6;
    }

    /** The task root with the round-trip probe added to lib/ (warm runs only: it is not part of the package). */
    private Path withProbe(Path taskRoot) throws IOException {
        Path probed = work.resolve("task-probed").resolve(taskRoot.getFileName());
        if (Files.exists(probed)) return probed;
        Files.createDirectories(probed.resolve("lib"));
        try (Stream<Path> entries = Files.list(taskRoot)) {
            for (Path e : entries.toList()) {
                if (!e.getFileName().toString().equals("lib")) Files.createSymbolicLink(probed.resolve(e.getFileName()), e);
            }
        }
        if (Files.isDirectory(taskRoot.resolve("lib"))) {
            try (Stream<Path> jars = Files.list(taskRoot.resolve("lib"))) {
                for (Path j : jars.toList()) Files.createSymbolicLink(probed.resolve("lib").resolve(j.getFileName()), j);
            }
        }
        Files.copy(root.resolve("benchmarks/probe/target/probe-0.1.0.jar"), probed.resolve("lib/bench-probe.jar"));
        return probed;
    }

    /** Lays out a task root as Lambda unzips a package: classes at the top, dependency jars in lib/. */
    private Path taskRoot(String name, Path classes, Path lib) throws IOException {
        Path target = work.resolve("task").resolve(name);
        copyTree(classes, target);
        if (lib != null) copyTree(lib, target.resolve("lib"));
        return target;
    }

    private static long zip(Path dir, Path zip) throws IOException {
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip)); Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new ZipEntry(dir.relativize(f).toString()));
                Files.copy(f, out);
                out.closeEntry();
            }
        }
        return Files.size(zip);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path t = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(f, t, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(f);
        }
    }
}
