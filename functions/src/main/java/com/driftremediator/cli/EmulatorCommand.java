package com.driftremediator.cli;

import com.driftremediator.aws.AwsClients;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * {@code remediator emulator up|down}: the moto server (AWS API emulator, from .venv) in the background on
 * loopback, with the sample environment provisioned; {@code up} prints the {@code export} lines for the shell
 * and the env-vars file for {@code invoke}. State (pid, port, log, env-vars) lives in ~/.drift-remediator/emulator
 * ($DRIFT_REMEDIATOR_STATE or --state-dir to change it).
 */
final class EmulatorCommand {
    static final String REGION = "eu-west-1";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String USAGE = "usage: emulator up [--port N] [--stack-name NAME] [--instances N] "
            + "[--webhook-secret S] [--slack-webhook-url URL] [--state-dir DIR] | emulator down [--state-dir DIR]";

    private EmulatorCommand() {
    }

    static int run(String[] args) {
        Flags f = new Flags(args, Set.of("--port", "--stack-name", "--instances", "--webhook-secret",
                "--slack-webhook-url", "--state-dir"), Set.of());
        if (f.positional().size() != 1) throw new Main.UsageException(USAGE);
        Path state = stateDir(f);
        return switch (f.positional().get(0)) {
            case "up" -> up(f, state);
            case "down" -> down(state);
            default -> throw new Main.UsageException(USAGE);
        };
    }

    private static int up(Flags f, Path state) {
        Optional<ProcessHandle> running = running(state);
        if (running.isPresent()) {
            System.err.println("emulator: already running (pid " + running.get().pid() + "); `emulator down` first "
                    + "for a fresh environment");
            printExports(read(state.resolve("port")), state.resolve("env.json"), read(state.resolve("instances")));
            return 0;
        }
        int port = f.getInt("--port", 5055);
        int instances = f.getInt("--instances", 2);
        if (instances < 1 || instances > 60) throw new Main.UsageException("--instances wants 1..60");
        Path python = Project.venv().resolve("bin").resolve("python");
        if (!Files.isExecutable(python) || !Files.isExecutable(Project.venv().resolve("bin").resolve("moto_server"))) {
            throw new Main.UsageException(Project.venv() + " has no moto_server: run bin/test once (it installs requirements-dev.txt)");
        }
        try {
            Files.createDirectories(state);
            Path script = state.resolve("moto_server.py");
            try (InputStream in = EmulatorCommand.class.getResourceAsStream("/emulator/moto_server.py")) {
                Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
            }
            Process server = new ProcessBuilder(python.toString(), script.toString(), "-H", "127.0.0.1",
                    "-p", Integer.toString(port))
                    .redirectInput(new File("/dev/null"))
                    .redirectErrorStream(true).redirectOutput(state.resolve("moto.log").toFile())
                    .start();
            Files.writeString(state.resolve("pid"), Long.toString(server.pid()));
            Files.writeString(state.resolve("port"), Integer.toString(port));
            URI endpoint = URI.create("http://127.0.0.1:" + port);
            if (!awaitUp(server, endpoint, Duration.ofSeconds(30))) {
                server.destroy();
                Files.deleteIfExists(state.resolve("pid"));
                System.err.println("emulator: moto_server did not start on port " + port + "; see " + state.resolve("moto.log"));
                return 1;
            }
            AwsClients clients = new AwsClients(Region.of(REGION),
                    StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")), endpoint);
            SampleEnvironment.Provisioned env = SampleEnvironment.provision(clients, Template.read(Project.template()),
                    new SampleEnvironment.Options("beta", Optional.ofNullable(f.get("--stack-name")).orElse("streamr-p2p-beta"),
                            instances, true, f.get("--webhook-secret"), f.get("--slack-webhook-url")));
            Path envVars = state.resolve("env.json");
            ObjectNode file = JSON.createObjectNode();
            ObjectNode parameters = file.putObject("Parameters");
            env.variables().forEach(parameters::put);
            JSON.writerWithDefaultPrettyPrinter().writeValue(envVars.toFile(), file);
            System.err.println("emulator: moto on " + endpoint + " (pid " + server.pid() + "), stack " + env.stackName()
                    + " with " + env.instanceIds().size() + " instances " + env.instanceIds()
                    + "\n  published reports: SQS queue " + env.reportQueueUrl()
                    + "\n  git pushes on the bus: SQS queue " + env.gitPushQueueUrl()
                    + "\n  env-vars for invoke: " + envVars);
            String instanceIds = String.join(" ", env.instanceIds());
            Files.writeString(state.resolve("instances"), instanceIds);
            printExports(Integer.toString(port), envVars, instanceIds);
            return 0;
        } catch (IOException e) {
            System.err.println("emulator: " + e.getMessage());
            return 1;
        }
    }

    private static int down(Path state) {
        Optional<ProcessHandle> running = running(state);
        if (running.isEmpty()) {
            System.err.println("emulator: not running");
        } else {
            ProcessHandle p = running.get();
            p.destroy();
            try {
                p.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception slow) {
                p.destroyForcibly();
            }
            System.err.println("emulator: stopped (pid " + p.pid() + ")");
        }
        try {
            Files.deleteIfExists(state.resolve("pid"));
        } catch (IOException e) {
            System.err.println("emulator: " + e.getMessage());
        }
        System.out.println("unset AWS_ENDPOINT_URL DRIFT_REMEDIATOR_ENV_VARS DRIFT_REMEDIATOR_INSTANCE_IDS");
        return 0;
    }

    private static void printExports(String port, Path envVars, String instanceIds) {
        for (Map.Entry<String, String> e : Map.of(
                "AWS_ENDPOINT_URL", "http://127.0.0.1:" + port,
                "AWS_REGION", REGION,
                "AWS_DEFAULT_REGION", REGION,
                "AWS_ACCESS_KEY_ID", "testing",
                "AWS_SECRET_ACCESS_KEY", "testing",
                "DRIFT_REMEDIATOR_ENV_VARS", envVars.toString(),
                "DRIFT_REMEDIATOR_INSTANCE_IDS", instanceIds).entrySet().stream()
                .sorted(Map.Entry.comparingByKey()).toList()) {
            System.out.println("export " + e.getKey() + "='" + e.getValue() + "'");
        }
        System.out.println("# env-vars for invoke: " + envVars);
    }

    /** The recorded server, if that pid is still our moto (a pid can be reused after a reboot). */
    private static Optional<ProcessHandle> running(Path state) {
        Path pid = state.resolve("pid");
        if (!Files.exists(pid)) return Optional.empty();
        try {
            return ProcessHandle.of(Long.parseLong(read(pid))).filter(ProcessHandle::isAlive)
                    .filter(p -> p.info().commandLine().map(c -> c.contains("moto_server")).orElse(true));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static boolean awaitUp(Process server, URI endpoint, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline) && server.isAlive()) {
            try {
                HttpURLConnection c = (HttpURLConnection) endpoint.resolve("/moto-api/data.json").toURL().openConnection();
                c.setConnectTimeout(500);
                if (c.getResponseCode() == 200) return true;
            } catch (IOException notYet) {
                // not listening yet
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    private static Path stateDir(Flags f) {
        String dir = f.get("--state-dir");
        if (dir == null) dir = System.getenv("DRIFT_REMEDIATOR_STATE");
        return dir != null ? Path.of(dir).toAbsolutePath()
                : Path.of(System.getProperty("user.home"), ".drift-remediator", "emulator");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
