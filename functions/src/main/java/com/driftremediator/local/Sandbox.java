package com.driftremediator.local;

import com.driftremediator.domain.Revision;
import com.driftremediator.domain.Target;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One EC2 instance of the app stack, on this machine: a directory tree ({@code instance/home/ec2-user/app},
 * {@code instance/var/log/cloud-init-output.log}, {@code instance/etc/systemd/system/streamr-app.service},
 * {@code instance/run/}), {@code systemctl} and {@code journalctl} stand-ins first on PATH, the app as a real process on a free
 * loopback port, and the sample app's git repository as its remote.
 */
public final class Sandbox implements AutoCloseable {
    public static final String SERVICE = "streamr-app";
    public static final Target INSTANCE = new Target("i-0d1f7e5a5b0c0ffee");
    public static final String CLOUD_INIT_VERSION = "23.4.4";
    /** The region the sandbox's instances live in, as their agent reports it. */
    public static final String REGION = "eu-west-1";
    /** The redeploy document's AppDirectory pattern: the workdir becomes part of that path. */
    private static final Pattern SAFE_PATH = Pattern.compile("^(/[A-Za-z0-9_][A-Za-z0-9._-]*)+$");
    private static final String MARKER = ".drift-remediator-sandbox";
    /** /version's answer: {"revision": "<sha>", ...}. */
    private static final Pattern SERVED = Pattern.compile("\"revision\"\\s*:\\s*\"([0-9a-f]{40})\"");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

    private final Path workdir;
    private final Path root;
    private final Path bin;
    private final Target target;
    private final String address;
    private final int port;
    private final SampleRepository repository;
    private final Instant launchedAt;

    private Sandbox(Path workdir, Target target, String address, int port, SampleRepository repository,
                    Instant launchedAt) {
        this.workdir = workdir;
        this.root = workdir.resolve("instance");
        this.bin = workdir.resolve("bin");
        this.target = target;
        this.address = address;
        this.port = port;
        this.repository = repository;
        this.launchedAt = launchedAt;
    }

    /**
     * Creates the sandbox in {@code workdir} (empty, missing, or an earlier sandbox, which is stopped and
     * replaced) with the sample app's repository built from {@code appSources} (examples/streamr-app).
     */
    public static Sandbox create(Path workdir, Path appSources) {
        Path dir = safe(workdir);
        try {
            prepare(dir);
            Files.createDirectories(dir.resolve("git"));
            SampleRepository repo = SampleRepository.build(appSources, dir.resolve("git/streamr-p2p.git"));
            return build(dir, repo, INSTANCE, "127.0.0.1", freePort(InetAddress.getLoopbackAddress()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the sandbox in " + dir, e);
        }
    }

    /**
     * One instance of a fleet (the emulator's): its tree in {@code workdir} (empty or missing), the app at
     * {@code address:port} once provisioned, {@code repository} as its remote.
     */
    public static Sandbox create(Path workdir, SampleRepository repository, Target target, String address, int port) {
        Path dir = safe(workdir);
        try {
            prepare(dir);
            return build(dir, repository, target, address, port);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the sandbox in " + dir, e);
        }
    }

    private static Sandbox build(Path dir, SampleRepository repository, Target target, String address, int port)
            throws IOException {
        if (!address.startsWith("127.")) throw new IllegalArgumentException("not a loopback address: " + address);
        Path root = dir.resolve("instance");
        emptyDisk(root);
        Files.createDirectories(dir.resolve("bin"));
        Files.writeString(dir.resolve(MARKER), "a drift-remediator sandbox: bin/remediator demo replaces it\n");
        installStandIns(dir.resolve("bin"), root);
        Sandbox sandbox = new Sandbox(dir, target, address, port, repository, Instant.now());
        Files.writeString(root.resolve("instance.json"), """
                {"instanceId": "%s", "launchTime": "%s", "privateIpAddress": "%s", "appPort": %d}
                """.formatted(target.instanceId(), sandbox.launchedAt, address, port));
        return sandbox;
    }

    /** The directories a new instance's disk has before its first boot. */
    private static void emptyDisk(Path root) throws IOException {
        for (String d : List.of("home/ec2-user", "etc/systemd/system", "var/log", "var/lib/cloud/instance", "run")) {
            Files.createDirectories(root.resolve(d));
        }
    }

    /**
     * Instead of a boot: this instance's disk becomes a copy of {@code booted}'s ({@code cp -a}, its own
     * instance.json kept) with every service stopped (no pid file): the same revision on disk, release and start
     * times as {@code booted}, but no process of its own. The copied unit and user-data.txt still name
     * {@code booted}'s paths. The fleet benchmark's cheap instance; not meant for redeploys.
     */
    public void copyDiskOf(Sandbox booted) {
        List<String> cp = new java.util.ArrayList<>(List.of("cp", "-a"));
        for (String top : List.of("home", "etc", "var", "run")) cp.add(booted.root.resolve(top).toString());
        cp.add(root.toString());
        Processes.Result r = Processes.run(new ProcessBuilder(cp), Duration.ofMinutes(1));
        if (!r.ok()) throw new IllegalStateException("cannot copy " + booted.root + ": " + r.stderr());
        try (Stream<Path> files = Files.list(root.resolve("run"))) {
            for (Path pid : files.filter(f -> f.toString().endsWith(".pid")).toList()) Files.delete(pid);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stop the copied services in " + root, e);
        }
    }

    /**
     * The instance replaced by a new one with the same id (an Auto Scaling group's replacement, as the emulator
     * keeps it): everything stopped, its disk empty again; {@link #provision} boots it.
     */
    public void reset() {
        close();
        try {
            SampleRepository.clear(root);
            emptyDisk(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot wipe " + root, e);
        }
    }

    private static Path safe(Path workdir) {
        Path dir = workdir.toAbsolutePath().normalize();
        if (!SAFE_PATH.matcher(dir.toString()).matches()) {
            throw new IllegalArgumentException("the sandbox directory must be a path of letters, digits and ._- "
                    + "(it becomes the redeploy document's AppDirectory): " + dir);
        }
        return dir;
    }

    /**
     * First boot: cloud-init runs the stack's UserData (bash, as root, no HOME) once, which clones the
     * app at {@code revision}, writes the unit and starts the service. Its output goes to
     * cloud-init-output.log as cloud-init writes it. Returns once the app answers its health check.
     */
    public void provision(Revision revision) {
        Path userData = root.resolve("var/lib/cloud/instance/user-data.txt");
        Path log = root.resolve("var/log/cloud-init-output.log");
        try {
            Files.writeString(userData, userData(workdir, repository.url(), revision, address, port));
            Files.writeString(log, "Cloud-init v. " + CLOUD_INIT_VERSION + " running 'modules:final' at "
                    + cloudInitTime(Instant.now()) + ". Up " + uptime() + " seconds.\n",
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            ProcessBuilder pb = new ProcessBuilder("bash", userData.toString()).directory(root.toFile());
            pb.environment().clear();
            pb.environment().put("PATH", path());
            Processes.Result r = Processes.run(pb, Duration.ofMinutes(5));
            Files.writeString(log, r.stdout() + r.stderr()
                    + (r.ok() ? "" : "Cloud-init v. " + CLOUD_INIT_VERSION + " failed: the UserData script exited "
                    + r.exitCode() + "\n")
                    + "Cloud-init v. " + CLOUD_INIT_VERSION + " finished at " + cloudInitTime(Instant.now())
                    + ". Datasource DataSourceEc2Local.  Up " + uptime() + " seconds\n", StandardOpenOption.APPEND);
            if (!r.ok()) {
                throw new IllegalStateException("UserData failed (exit " + r.exitCode() + "), see " + log);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot provision the sandbox instance", e);
        }
        awaitHealthy(START_TIMEOUT);
    }

    /**
     * The UserData the app stack gives the instance in {@code workdir}: the sandbox's user-data.sh with the
     * stack's values written in (ROOT is empty on a real instance). Known before the instance exists, so the
     * emulator's stack carries exactly what its sandbox instance runs at boot.
     */
    public static String userData(Path workdir, String repositoryUrl, Revision revision, String address, int port) {
        String template = resource("user-data.sh");
        int firstLine = template.indexOf('\n') + 1;
        String values = "ROOT=" + quote(safe(workdir).resolve("instance").toString()) + "\nREPOSITORY_URL="
                + quote(repositoryUrl) + "\nREVISION=" + quote(revision.sha()) + "\nHOST=" + quote(address)
                + "\nPORT=" + quote(String.valueOf(port)) + "\n";
        return template.substring(0, firstLine) + values + template.substring(firstLine);
    }

    /** Waits until the app answers /health with 200; throws when it does not within {@code timeout}. */
    public void awaitHealthy(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Probe.status(url("/health")) != 200) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("the app did not answer " + url("/health") + " within " + timeout);
            }
            sleep(100);
        }
    }

    /** The revision the app reports on /version; null when it does not answer. */
    public Revision served() {
        return Probe.get(url("/version")).filter(r -> r.statusCode() == 200)
                .flatMap(r -> SERVED.matcher(r.body()).results().findFirst())
                .flatMap(m -> Revision.parse(m.group(1))).orElse(null);
    }

    /** The HTTP status the app answers {@code path} with; 0 when nothing answers. */
    public int status(String path) {
        return Probe.status(url(path));
    }

    /** Runs the stand-in systemctl of this sandbox. */
    public Processes.Result systemctl(String... args) {
        ProcessBuilder pb = new ProcessBuilder(Stream.concat(Stream.of(bin.resolve("systemctl").toString()),
                Stream.of(args)).toList());
        pb.environment().put("PATH", path());
        return Processes.run(pb, Duration.ofSeconds(30));
    }

    /**
     * The instance's role, as the AWS CLI on it sees it: on EC2 the CLI takes the role's credentials from the instance
     * metadata; here {@code bin/aws} runs {@code awsCli} (the real AWS CLI) against {@code endpoint} with the emulated
     * account's test credentials, in the region the SSM agent names.
     */
    public void attachRole(Path awsCli, URI endpoint) {
        attachRole(awsCli, endpoint, RoleCredentials.TESTING);
    }

    /** The instance role with {@code keys}: what a verifier of its signatures (CodeCommitHost) must know. */
    public void attachRole(Path awsCli, URI endpoint, RoleCredentials keys) {
        if (!Files.isExecutable(awsCli)) throw new IllegalStateException(awsCli + " is missing: bin/test installs it");
        Path file = bin.resolve("aws");
        try {
            Files.writeString(file, "#!/bin/sh\n# the instance role's stand-in: credentials as the instance metadata would give them\n"
                    + "AWS_ENDPOINT_URL=" + quote(endpoint.toString()) + " AWS_ACCESS_KEY_ID=" + quote(keys.accessKeyId())
                    + " AWS_SECRET_ACCESS_KEY=" + quote(keys.secretAccessKey())
                    + (keys.sessionToken() == null ? "" : " AWS_SESSION_TOKEN=" + quote(keys.sessionToken()))
                    + " AWS_DEFAULT_REGION=${AWS_SSM_REGION_NAME:-" + REGION + "} exec " + quote(awsCli.toString()) + " \"$@\"\n");
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The values RedeployDocument needs to deploy {@code revision} on this instance; the others keep the document's
     * defaults ({@link SsmDocument#resolve}).
     */
    public Map<String, String> redeployParameters(Revision revision) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("Revision", revision.sha());
        p.put("RepositoryUrl", repository.url());
        p.put("AppDirectory", appDirectory().toString());
        p.put("ServiceName", SERVICE);
        p.put("HealthUrl", url("/health").toString());
        p.put("HealthTimeoutSeconds", "20");
        String user = System.getProperty("user.name", "");
        p.put("AppUser", user.matches("^[a-z_][a-z0-9_-]{0,31}$") ? user : "ec2-user");
        // these default to the stack's parameters (!Ref), which a document run outside a stack has not: the stack's
        // defaults (a public repository); a test of a private one names its secret
        p.put("SourceSecret", "");
        p.put("SshKnownHosts", "");
        p.put("GitUsername", "x-access-token");
        return p;
    }

    /** The values ObserveDocument needs on this instance. */
    public Map<String, String> observeParameters() {
        return Map.of("AppDirectory", appDirectory().toString(), "ServiceName", SERVICE,
                "HealthUrl", url("/health").toString());
    }

    /** The values DiagnoseDocument needs on this instance (its other parameters keep their defaults). */
    public Map<String, String> diagnoseParameters() {
        return Map.of("AppDirectory", appDirectory().toString(), "ServiceName", SERVICE,
                "CloudInitLog", root.resolve("var/log/cloud-init-output.log").toString(),
                "VersionUrl", url("/version").toString());
    }

    /** PATH as the SSM agent and cloud-init see it on the instance: the stand-in first. */
    public String path() {
        String system = System.getenv("PATH");
        return bin + ":" + (system == null || system.isBlank() ? "/usr/local/bin:/usr/bin:/bin" : system);
    }

    public Path workdir() {
        return workdir;
    }

    /** The instance's filesystem root ("/" on EC2). */
    public Path root() {
        return root;
    }

    public Path appDirectory() {
        return root.resolve("home/ec2-user/app");
    }

    /** Where the redeploy document keeps releases: AppDirectory + ".releases". */
    public Path releases() {
        return root.resolve("home/ec2-user/app.releases");
    }

    public Target target() {
        return target;
    }

    /** The instance's private address (loopback: every sandbox address is). */
    public String address() {
        return address;
    }

    public int port() {
        return port;
    }

    public Instant launchedAt() {
        return launchedAt;
    }

    public URI url(String path) {
        return URI.create("http://" + address + ":" + port + path);
    }

    public SampleRepository repository() {
        return repository;
    }

    /** Stops every service of the instance, and kills what a stop left behind. */
    @Override
    public void close() {
        stopAll(root, bin);
    }

    /** Stops the processes of the sandbox in {@code workdir}, if there is one (after a failure, or --keep). */
    public static void stop(Path workdir) {
        if (Files.exists(workdir.resolve(MARKER))) stopAll(workdir.resolve("instance"), workdir.resolve("bin"));
    }

    private static void stopAll(Path root, Path bin) {
        Path units = root.resolve("etc/systemd/system");
        if (Files.isExecutable(bin.resolve("systemctl")) && Files.isDirectory(units)) {
            try (Stream<Path> files = Files.list(units)) {
                for (Path unit : files.filter(f -> f.toString().endsWith(".service")).toList()) {
                    Processes.run(new ProcessBuilder(bin.resolve("systemctl").toString(), "stop",
                            unit.getFileName().toString()), Duration.ofSeconds(30));
                }
            } catch (IOException | RuntimeException e) {
                // fall through to the pid files
            }
        }
        Path run = root.resolve("run");
        if (!Files.isDirectory(run)) return;
        try (Stream<Path> files = Files.list(run)) {
            for (Path pidFile : files.filter(f -> f.toString().endsWith(".pid")).toList()) {
                String pid = Files.readString(pidFile).strip();
                if (pid.matches("\\d+")) {
                    ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + run, e);
        }
    }

    /** An empty or missing directory, or an earlier sandbox: stopped and removed. Anything else is refused. */
    private static void prepare(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            Files.createDirectories(dir);
            return;
        }
        boolean empty;
        try (Stream<Path> entries = Files.list(dir)) {
            empty = entries.findAny().isEmpty();
        }
        if (empty) return;
        if (!Files.exists(dir.resolve(MARKER))) {
            throw new IllegalArgumentException(dir + " is neither empty nor an earlier sandbox: refusing to use it");
        }
        stopAll(dir.resolve("instance"), dir.resolve("bin"));
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path p : entries.toList()) {
                SampleRepository.clear(p);
            }
        }
    }

    /** systemctl and journalctl for this instance, with its root written in. */
    private static void installStandIns(Path bin, Path root) throws IOException {
        if (root.toString().contains("'")) throw new IllegalArgumentException("quote in " + root);
        for (String tool : List.of("systemctl", "journalctl")) {
            Path file = bin.resolve(tool);
            Files.writeString(file, resource(tool).replace("@ROOT@", root.toString()));
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    static String resource(String name) {
        try (InputStream in = Sandbox.class.getResourceAsStream("/sandbox/" + name)) {
            if (in == null) throw new IllegalStateException("resource /sandbox/" + name + " is missing from the build");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A shell single-quoted word (values here are paths, URLs, SHAs and numbers). */
    private static String quote(String value) {
        if (value.contains("'")) throw new IllegalArgumentException("quote in " + value);
        return "'" + value + "'";
    }

    /** A port nothing listens on at {@code address} right now. */
    public static int freePort(InetAddress address) throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, address)) {
            return s.getLocalPort();
        }
    }

    private String uptime() {
        return String.format(Locale.ROOT, "%.2f", Duration.between(launchedAt, Instant.now()).toMillis() / 1000.0);
    }

    private static String cloudInitTime(Instant t) {
        return DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.ROOT)
                .format(t.atOffset(ZoneOffset.UTC));
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
