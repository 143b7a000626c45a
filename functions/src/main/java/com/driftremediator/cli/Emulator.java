package com.driftremediator.cli;

import com.driftremediator.aws.AwsClients;
import com.driftremediator.domain.Revision;
import com.driftremediator.domain.Target;
import com.driftremediator.emulator.AwsFront;
import com.driftremediator.emulator.EventRouter;
import com.driftremediator.emulator.RunCommandEmulator;
import com.driftremediator.local.SampleRepository;
import com.driftremediator.local.Sandbox;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * The AWS path without an account, running: the moto server behind an {@link AwsFront} on loopback, the sample
 * environment provisioned in it, and every EC2 instance of the app stack backed by a sandbox instance that its
 * UserData booted at the old commit, with the app a real process on the instance's own loopback address. A
 * SendCommand of our documents runs them on those instances; their status-change events, the pushes put on
 * the bus and the reports published on the topic reach the functions through the template's own rules, each
 * invocation a fresh JVM as {@code invoke} runs it. Public for the fleet benchmark (benchmarks/run --fleet),
 * which runs it in-process as DayInTheLifeIT does.
 */
public final class Emulator implements AutoCloseable {
    static final String REGION = "eu-west-1";
    static final String ACCOUNT = "123456789012";
    static final String ENVIRONMENT = "beta";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What to start; {@code state} holds the logs, the env-vars file and the instances' trees. {@code functions}
     * invokes the functions events are routed to; null: each invocation a fresh JVM, as {@code invoke} runs it.
     * {@code copies}: only the first instance boots by its UserData; every other one gets a copy of its disk with
     * the service stopped ({@link Sandbox#copyDiskOf}) and its address, so that ObserveDocument's health check on a
     * copy reaches the one app process: a large fleet this machine can hold. {@code source}: where the redeploy gets
     * the code ({@link Source}).
     */
    public record Config(Path state, int port, String stackName, int instances, String webhookSecret,
                         String slackWebhookUrl, EventRouter.Functions functions, boolean copies, Source source) {
        public Config {
            if (!copies && instances > 254) throw new IllegalArgumentException("at most 254 booted instances: 127.H.L.1-254");
        }

        public Config(Path state, int port, String stackName, int instances, String webhookSecret, String slackWebhookUrl,
                      EventRouter.Functions functions, boolean copies) {
            this(state, port, stackName, instances, webhookSecret, slackWebhookUrl, functions, copies, Source.GIT);
        }

        Config(Path state, int port, String stackName, int instances, String webhookSecret, String slackWebhookUrl,
               EventRouter.Functions functions) {
            this(state, port, stackName, instances, webhookSecret, slackWebhookUrl, functions, false);
        }

        Config(Path state, int port, String stackName, int instances, String webhookSecret, String slackWebhookUrl) {
            this(state, port, stackName, instances, webhookSecret, slackWebhookUrl, null, false);
        }
    }

    /**
     * The app's source, as RepositoryUrl names it ({@link EmulatedSource}): the sample repository over git (a local
     * path), the same repository behind a private host (Apache httpd with a token, OpenSSH with a deploy key, the
     * secret in the emulated Secrets Manager), CodeCommit's stand-in (signed with the instance role), or the
     * pipeline's bundles of its commits in an S3 bucket of the emulated account. The instances read secrets and
     * bundles with their role's stand-in, through the front.
     */
    public enum Source { GIT, HTTPS, SSH, CODECOMMIT, S3 }

    /** An emulated instance: its id, private address, the app's URL and the sandbox instance behind it. */
    public record Instance(String instanceId, String privateIp, URI url, Sandbox sandbox) {
    }

    private final Config config;
    private Process moto;
    private RunCommandEmulator runCommand;
    private AwsFront front;
    private EventRouter router;
    private Path envVars;
    private final List<Instance> instances = new CopyOnWriteArrayList<>();
    private final List<Sandbox> sandboxes = new CopyOnWriteArrayList<>();
    /** Instances the app's Auto Scaling group holds now (launched by {@link #scaleOut}). */
    private final Set<String> grouped = ConcurrentHashMap.newKeySet();
    private int appPort;
    private int launched;
    private Map<String, String> targetTags;
    private volatile Runnable afterChange = () -> { };
    private SampleEnvironment.Provisioned environment;
    private SampleRepository repository;
    private EmulatedSource source;

    private Emulator(Config config) {
        this.config = config;
    }

    public static Emulator start(Config config) {
        Emulator e = new Emulator(config);
        try {
            e.boot();
            return e;
        } catch (RuntimeException | IOException failure) {
            e.close();
            if (failure instanceof IOException io) throw new UncheckedIOException(io);
            throw (RuntimeException) failure;
        }
    }

    private void boot() throws IOException {
        Path state = config.state();
        Files.createDirectories(state);
        stopLeftovers(instancesDir());
        Files.deleteIfExists(state.resolve("functions.log"));
        URI motoEndpoint = startMoto(state);
        AwsClients clients = new AwsClients(Region.of(REGION),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")), motoEndpoint);

        SampleRepository.clear(state.resolve("git"));
        Files.createDirectories(state.resolve("git"));
        repository = SampleRepository.build(Project.root().resolve("examples/streamr-app"),
                state.resolve("git/streamr-p2p.git"));
        List<String> addresses = new ArrayList<>();
        for (int i = 1; i <= config.instances(); i++) {
            addresses.add(address(config.port(), config.copies() ? 1 : i));
        }
        appPort = appPort(addresses.stream().distinct().toList());
        launched = config.instances();
        List<SampleEnvironment.Host> hosts = new ArrayList<>();
        for (int i = 1; i <= config.instances(); i++) {
            hosts.add(new SampleEnvironment.Host(addresses.get(i - 1), Sandbox.userData(instanceDir(i),
                    repository.url(), SampleEnvironment.BOOTED, addresses.get(i - 1), appPort)));
        }
        Template template = Template.read(Project.template());
        // the source's host takes the block's last address, which no instance has (1-254)
        source = EmulatedSource.start(config.source(), state.resolve("source"), address(config.port(), 255), repository,
                clients, motoEndpoint, REGION, config.source() == Source.S3 || config.source() == Source.CODECOMMIT ? awsCli() : null);
        environment = SampleEnvironment.provision(clients, template, new SampleEnvironment.Options(ENVIRONMENT,
                config.stackName(), hosts, true, config.webhookSecret(), config.slackWebhookUrl(), source.parameters()));
        bootInstances(addresses, appPort);
        if (source.readsWithRole()) sandboxes.forEach(this::attachRole);

        Map<String, String> variables = new LinkedHashMap<>(environment.variables());
        variables.put("REPOSITORY_URL", source.repositoryUrl());
        variables.put("HEALTH_URL", "http://127.0.0.1:" + appPort + "/health");
        variables.put("SERVED_URL", "http://{privateIp}:" + appPort + "/version");
        // `sam local invoke` passes its container none of the shell's exports: the endpoint must be in this file too
        variables.put("AWS_ENDPOINT_URL", "http://127.0.0.1:" + config.port());
        envVars = state.resolve("env.json");
        ObjectNode file = JSON.createObjectNode();
        ObjectNode parameters = file.putObject("Parameters");
        variables.forEach(parameters::put);
        JSON.writerWithDefaultPrettyPrinter().writeValue(envVars.toFile(), file);

        router = new EventRouter(rules(template, Map.of("Environment", ENVIRONMENT, "AppStackName", config.stackName()),
                Map.of("RedeployDocument", variables.get("REDEPLOY_DOCUMENT"), "ObserveDocument", variables.get("OBSERVE_DOCUMENT"),
                        "DiagnoseDocument", variables.get("DIAGNOSE_DOCUMENT"), "RemediationBus", variables.get("EVENT_BUS_NAME"),
                        "RemediationTopic", variables.get("TOPIC_ARN"), "LedgerTable", variables.get("LEDGER_TABLE"))),
                this::invoke);
        Map<String, RunCommandEmulator.Instance> backed = new LinkedHashMap<>();
        targetTags = Map.of(variables.get("TARGET_TAG_KEY"), variables.get("TARGET_TAG_VALUE"));
        for (Sandbox s : sandboxes) {
            backed.put(s.target().instanceId(), new RunCommandEmulator.Instance(s, targetTags));
        }
        runCommand = new RunCommandEmulator(backed, ACCOUNT, REGION, AwsFront.defaultBus(router));
        List<AwsFront.Subscription> subscriptions = config.slackWebhookUrl() == null ? List.of()
                : List.of(new AwsFront.Subscription(variables.get("TOPIC_ARN"), "SlackNotifierFunction"));
        front = new AwsFront(config.port(), motoEndpoint, runCommand, router, subscriptions, ACCOUNT, REGION);
        front.control(this::control);
    }

    /** The instance's role, for its AWS CLI: the emulated account, through the front. */
    private void attachRole(Sandbox s) {
        s.attachRole(awsCli(), URI.create("http://127.0.0.1:" + config.port()));
    }

    private static Path awsCli() {
        Path cli = Project.venv().resolve("awscli/bin/aws");
        if (!Files.isExecutable(cli)) {
            throw new Main.UsageException(cli + " is missing: run bin/test once (it installs requirements-instance.txt)");
        }
        return cli;
    }

    private URI startMoto(Path state) throws IOException {
        Path python = Project.venv().resolve("bin").resolve("python");
        if (!Files.isExecutable(python) || !Files.isExecutable(Project.venv().resolve("bin").resolve("moto_server"))) {
            throw new Main.UsageException(Project.venv() + " has no moto_server: run bin/test once (it installs requirements-dev.txt)");
        }
        Path script = state.resolve("moto_server.py");
        try (InputStream in = Emulator.class.getResourceAsStream("/emulator/moto_server.py")) {
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        moto = new ProcessBuilder(python.toString(), script.toString(), "-H", "127.0.0.1", "-p", Integer.toString(port))
                .redirectInput(new File("/dev/null")).redirectErrorStream(true)
                .redirectOutput(state.resolve("moto.log").toFile()).start();
        URI endpoint = URI.create("http://127.0.0.1:" + port);
        Instant deadline = Instant.now().plusSeconds(30);
        while (!answers(endpoint)) {
            if (!moto.isAlive() || Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("moto_server did not start; see " + state.resolve("moto.log"));
            }
            sleep(200);
        }
        return endpoint;
    }

    /** The instances of an earlier emulator in this state directory, stopped and removed (after a crash). */
    private static void stopLeftovers(Path instances) throws IOException {
        if (Files.isDirectory(instances)) {
            try (var dirs = Files.list(instances)) {
                dirs.forEach(Sandbox::stop);
            }
        }
        SampleRepository.clear(instances);
    }

    /**
     * Each instance's sandbox, booted by the UserData its stack gave it (in parallel: each clones and starts); with
     * {@code copies}, the first one booted and the others a copy of its disk.
     */
    private void bootInstances(List<String> addresses, int appPort) {
        for (int i = 1; i <= config.instances(); i++) {
            String id = environment.instanceIds().get(i - 1);
            Sandbox s = Sandbox.create(instanceDir(i), repository, new Target(id), addresses.get(i - 1), appPort);
            sandboxes.add(s);
            instances.add(new Instance(id, addresses.get(i - 1), s.url("/"), s));
        }
        ExecutorService boot = Executors.newFixedThreadPool(Math.min(4, sandboxes.size()));
        try {
            List<Sandbox> booting = config.copies() ? sandboxes.subList(0, 1) : sandboxes;
            List<Future<?>> booted = booting.stream()
                    .map(s -> boot.submit(() -> s.provision(SampleEnvironment.BOOTED))).<Future<?>>map(f -> f).toList();
            for (Future<?> f : booted) f.get();
            List<Future<?>> copied = sandboxes.subList(booting.size(), sandboxes.size()).stream()
                    .map(s -> boot.submit(() -> s.copyDiskOf(sandboxes.get(0)))).<Future<?>>map(f -> f).toList();
            for (Future<?> f : copied) f.get();
        } catch (Exception e) {
            throw new IllegalStateException("an instance did not boot: " + e.getMessage(), e);
        } finally {
            boot.shutdown();
        }
    }

    /**
     * The template's EventBridge rules (and schedules) of every function, resolved for this environment: template parameters
     * (their defaults, and {@code parameters} over them), {@code resources} for the physical names of ours.
     */
    static List<EventRouter.Rule> rules(Template template, Map<String, String> parameters, Map<String, String> resources) {
        Map<String, String> values = new LinkedHashMap<>(template.parameterDefaults());
        values.putAll(parameters);
        Intrinsics intrinsics = new Intrinsics(values, resources, REGION);
        List<EventRouter.Rule> rules = new ArrayList<>();
        template.resources().forEach((id, r) -> {
            if (!(r instanceof Map<?, ?> resource) || !"AWS::Serverless::Function".equals(resource.get("Type"))) return;
            if (!(template.properties(id).get("Events") instanceof Map<?, ?> byName)) return;
            byName.forEach((name, e) -> {
                if (!(e instanceof Map<?, ?> event)) return;
                if ("Schedule".equals(event.get("Type"))) {
                    // the scheduled rule's events, as EventBridge sends them to its target
                    rules.add(new EventRouter.Rule(id, String.valueOf(name), "default",
                            "{\"source\":[\"aws.events\"],\"detail-type\":[\"Scheduled Event\"]}"));
                    return;
                }
                if (!"EventBridgeRule".equals(event.get("Type"))) return;
                Map<?, ?> p = (Map<?, ?>) event.get("Properties");
                Object bus = p.get("EventBusName");
                try {
                    rules.add(new EventRouter.Rule(id, String.valueOf(name), bus == null ? "default" : intrinsics.text(bus),
                            JSON.writeValueAsString(intrinsics.resolve(p.get("Pattern")))));
                } catch (IOException ex) {
                    throw new UncheckedIOException(ex);
                }
            });
        });
        return rules;
    }

    /** One asynchronous invocation, as `invoke` runs it; what it answered goes to functions.log. */
    private void invoke(String functionId, String event) {
        if (config.functions() != null) {
            config.functions().invoke(functionId, event);
            return;
        }
        Path log = config.state().resolve("functions.log");
        try (PrintStream out = new PrintStream(Files.newOutputStream(log, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND), true, StandardCharsets.UTF_8)) {
            out.println(Instant.now() + " " + functionId + " <- " + event);
            int status = InvokeCommand.invoke(functionId, event.getBytes(StandardCharsets.UTF_8), envVars, null, out,
                    awsEnvironment());
            out.println();
            out.println(Instant.now() + " " + functionId + (status == 0 ? " ok" : " failed"));
        } catch (IOException | RuntimeException e) {
            System.err.println("emulator: invoking " + functionId + " failed: " + e.getMessage());
        }
    }

    /** The environment variables of a function as `invoke` gives them: template.yaml, the shell, the env-vars file. */
    public Map<String, String> functionVariables(String functionId) {
        return FunctionSpec.of(Template.read(Project.template()), functionId, envVars, System.getenv(), REGION).variables();
    }

    /** What a function needs to reach this emulator (and what `emulator up` exports for the shell). */
    Map<String, String> awsEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("AWS_ENDPOINT_URL", front == null ? "" : front.endpoint().toString());
        env.put("AWS_REGION", REGION);
        env.put("AWS_DEFAULT_REGION", REGION);
        env.put("AWS_ACCESS_KEY_ID", "testing");
        env.put("AWS_SECRET_ACCESS_KEY", "testing");
        env.put("DRIFT_REMEDIATOR_ENV_VARS", envVars.toString());
        env.put("DRIFT_REMEDIATOR_INSTANCE_IDS", String.join(" ", instances.stream().map(Instance::instanceId).toList()));
        env.put("DRIFT_REMEDIATOR_INSTANCE_URLS", String.join(" ", instances.stream().map(i -> i.url().toString()).toList()));
        return env;
    }

    /**
     * Waits until nothing runs any more: no command on an instance, no invocation of a function (whose calls may
     * send commands and publish reports that start more of both).
     */
    void awaitQuiet(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        int quietRounds = 0;
        while (quietRounds < 2) {
            if (Instant.now().isAfter(deadline)) throw new IllegalStateException("still busy after " + timeout);
            boolean idle = runCommand.idle();
            router.drain();
            quietRounds = idle && runCommand.idle() ? quietRounds + 1 : 0;
            if (quietRounds < 2) sleep(200);
        }
    }

    public URI endpoint() {
        return front.endpoint();
    }

    /** Every AWS call the front received so far, by operation ({@link AwsFront#calls}). */
    public Map<String, Long> calls() {
        return front.calls();
    }

    /** Delivers an event to the rules of {@code bus}, as EventBridge delivers one again (late or twice). */
    List<String> deliver(String bus, String event) {
        return router.route(bus, event);
    }

    /** The front ({@link AwsFront#failOnce}): a fault test makes a function stop at one call. */
    AwsFront front() {
        return front;
    }

    /** SDK clients that reach this emulator as the functions do, through the front. */
    public AwsClients clients() {
        return new AwsClients(Region.of(REGION), StaticCredentialsProvider.create(AwsBasicCredentials.create("testing",
                "testing")), front.endpoint());
    }

    /** What the app's pipeline does: an update of the app stack whose AppRevision parameter names {@code revision}. */
    public void setStackRevision(Revision revision) {
        try (CloudFormationClient cfn = clients().build(CloudFormationClient.builder())) {
            cfn.updateStack(r -> r.stackName(config.stackName()).usePreviousTemplate(true)
                    .parameters(p -> p.parameterKey("AppRevision").parameterValue(revision.sha())));
        }
    }

    /**
     * The app's Auto Scaling group launches one more instance, which its UserData boots at the commit the stack
     * first named, as a launch template's UserData does on every new instance. The emulator plays the group's launch
     * (RunInstances at the next loopback address, AttachInstances): moto's own launches get addresses outside
     * loopback. Returns the new instance once its app answers.
     */
    public synchronized Instance scaleOut() {
        if (config.copies() || launched >= 254) throw new IllegalStateException("no loopback address left for a new instance");
        int n = ++launched;
        String address = address(config.port(), n);
        String userData = Sandbox.userData(instanceDir(n), repository.url(), SampleEnvironment.BOOTED, address, appPort);
        try (Ec2Client ec2 = clients().build(Ec2Client.builder());
             AutoScalingClient autoScaling = clients().build(AutoScalingClient.builder())) {
            List<Tag> tags = new ArrayList<>();
            targetTags.forEach((k, v) -> tags.add(Tag.builder().key(k).value(v).build()));
            String id = ec2.runInstances(r -> r.imageId("ami-0123456789abcdef0").instanceType("t3.small").minCount(1).maxCount(1)
                    .privateIpAddress(address).userData(Base64.getEncoder().encodeToString(
                            userData.getBytes(StandardCharsets.UTF_8)))
                    .tagSpecifications(t -> t.resourceType("instance").tags(tags))).instances().get(0).instanceId();
            autoScaling.attachInstances(r -> r.autoScalingGroupName(group()).instanceIds(id));
            Sandbox s = Sandbox.create(instanceDir(n), repository, new Target(id), address, appPort);
            sandboxes.add(s);
            if (source.readsWithRole()) attachRole(s);
            s.provision(SampleEnvironment.BOOTED);
            Instance instance = new Instance(id, address, s.url("/"), s);
            instances.add(instance);
            grouped.add(id);
            runCommand.attach(id, new RunCommandEmulator.Instance(s, targetTags));
            return instance;
        }
    }

    /**
     * The group replaces one of its instances (a failed health check, a lost host): it is terminated, and a new one
     * with another id boots by UserData at the old commit. An instance of the stack itself is not the group's to
     * replace. Returns the new instance.
     */
    public synchronized Instance replace(Instance old) {
        if (!grouped.remove(old.instanceId())) {
            throw new IllegalArgumentException(old.instanceId() + " is the stack's own AWS::EC2::Instance, not one of its"
                    + " Auto Scaling group's: `emulator scale-out` launches one the group can replace");
        }
        try (AutoScalingClient autoScaling = clients().build(AutoScalingClient.builder())) {
            autoScaling.terminateInstanceInAutoScalingGroup(r -> r.instanceId(old.instanceId())
                    .shouldDecrementDesiredCapacity(true));
        }
        runCommand.detach(old.instanceId());
        instances.remove(old);
        sandboxes.remove(old.sandbox());
        old.sandbox().close();
        return scaleOut();
    }

    /** Runs after the instances changed (scale-out, replacement): `emulator serve` rewrites ready.json. */
    void afterChange(Runnable listener) {
        this.afterChange = listener;
    }

    /** The CLI's requests to the running emulator ({@link AwsFront.Control}): scale-out, replace. */
    private String control(String action, String instanceId) {
        Instance launched = switch (action) {
            case "scale-out" -> scaleOut();
            case "replace" -> replace(instances.stream().filter(i -> i.instanceId().equals(instanceId)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no running instance " + instanceId)));
            default -> throw new IllegalArgumentException("unknown action " + action + ": scale-out or replace");
        };
        afterChange.run();
        return JSON.createObjectNode().put("instanceId", launched.instanceId()).put("privateIp", launched.privateIp())
                .put("url", launched.url().toString()).toString();
    }

    /** Whether the instance is one of the app's Auto Scaling group's. */
    public boolean inGroup(Instance instance) {
        return grouped.contains(instance.instanceId());
    }

    private String group() {
        try (CloudFormationClient cfn = clients().build(CloudFormationClient.builder())) {
            return cfn.describeStackResource(r -> r.stackName(config.stackName()).logicalResourceId("AppGroup"))
                    .stackResourceDetail().physicalResourceId();
        }
    }

    /** A URL moto made with its own address (a queue URL), as it is reached through the front. */
    String publicUrl(String motoUrl) {
        return motoUrl.replaceFirst("^http://[^/]+", front.endpoint().toString());
    }

    List<Instance> instances() {
        return List.copyOf(instances);
    }

    List<Sandbox> sandboxes() {
        return List.copyOf(sandboxes);
    }

    SampleEnvironment.Provisioned environment() {
        return environment;
    }

    SampleRepository repository() {
        return repository;
    }

    Path envVars() {
        return envVars;
    }

    private Path instanceDir(int i) {
        return instancesDir().resolve(Integer.toString(i));
    }

    /**
     * Where the instances' trees are: under the temporary directory, because a tree's path becomes the redeploy
     * document's AppDirectory, whose pattern refuses the dot of ~/.drift-remediator.
     */
    Path instancesDir() {
        return Path.of(System.getProperty("java.io.tmpdir"), "drift-remediator-emulator-" + config.port(), "instances");
    }

    /**
     * The n-th instance's address: 127.H.L.n, H.L the emulator's port, so that two emulators on one machine never
     * share an address.
     */
    static String address(int port, int n) {
        return "127." + (port >> 8 & 0xff) + "." + (port & 0xff) + "." + n;
    }

    /** 8000, as the template's defaults say, where it is free on every address; else a port that is. */
    private static int appPort(List<String> addresses) throws IOException {
        for (int candidate : new int[] {8000, 0}) {
            int port = candidate;
            if (port == 0) {
                try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(addresses.get(0)))) {
                    port = s.getLocalPort();
                }
            }
            if (freeOnAll(port, addresses)) return port;
        }
        throw new IllegalStateException("no port is free on every instance address " + addresses);
    }

    private static boolean freeOnAll(int port, List<String> addresses) {
        for (String a : addresses) {
            try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getByName(a))) {
                s.setReuseAddress(true);
            } catch (IOException taken) {
                return false;
            }
        }
        return true;
    }

    private static boolean answers(URI endpoint) {
        try {
            HttpURLConnection c = (HttpURLConnection) endpoint.resolve("/moto-api/data.json").toURL().openConnection();
            c.setConnectTimeout(500);
            return c.getResponseCode() == 200;
        } catch (IOException notYet) {
            return false;
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops what was started, last first: the front, the routed invocations, the agents, the apps, the source's host, moto. */
    @Override
    public void close() {
        List<AutoCloseable> parts = new ArrayList<>();
        if (front != null) parts.add(front);
        if (router != null) parts.add(router);
        if (runCommand != null) parts.add(runCommand);
        parts.addAll(sandboxes);
        if (source != null) parts.add(source);
        for (AutoCloseable part : parts) {
            try {
                part.close();
            } catch (Exception e) {
                System.err.println("emulator: stopping " + part + ": " + e.getMessage());
            }
        }
        if (moto != null) {
            moto.destroy();
            try {
                if (!moto.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) moto.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            SampleRepository.clear(instancesDir().getParent()); // the instances' trees live and die with the emulator
        } catch (IOException e) {
            System.err.println("emulator: cannot remove " + instancesDir().getParent() + ": " + e.getMessage());
        }
    }
}
