package com.driftremediator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code remediator emulator up|down|scale-out|replace}: the {@link Emulator} in the background on loopback.
 * {@code up} starts it ({@code emulator serve} in a process of its own), waits until its instances serve, prints the
 * {@code export} lines for the shell on stdout and each instance's URL on stderr. State (pid, logs, env-vars file, the instances'
 * trees) lives in ~/.drift-remediator/emulator ($DRIFT_REMEDIATOR_STATE or --state-dir to change it).
 */
final class EmulatorCommand {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    static final String SOURCES = String.join("|", java.util.Arrays.stream(Emulator.Source.values())
            .map(s -> s.name().toLowerCase(java.util.Locale.ROOT)).toList());
    private static final String USAGE = "usage: emulator up [--port N] [--stack-name NAME] [--instances N] "
            + "[--webhook-secret S] [--slack-webhook-url URL] [--source " + SOURCES + "] [--state-dir DIR] | emulator down [--state-dir DIR]"
            + " | emulator scale-out [--state-dir DIR] | emulator replace INSTANCE_ID [--state-dir DIR]";

    private EmulatorCommand() {
    }

    static int run(String[] args) {
        Flags f = new Flags(args, Set.of("--port", "--stack-name", "--instances", "--webhook-secret",
                "--slack-webhook-url", "--state-dir", "--source"), Set.of());
        if (f.positional().isEmpty()) throw new Main.UsageException(USAGE);
        Path state = stateDir(f);
        String command = f.positional().get(0);
        if (f.positional().size() != ("replace".equals(command) ? 2 : 1)) throw new Main.UsageException(USAGE);
        return switch (command) {
            case "up" -> up(f, state);
            case "serve" -> serve(config(f, state));
            case "down" -> down(state);
            case "scale-out" -> change(state, "scale-out", null);
            case "replace" -> change(state, "replace", f.positional().get(1));
            default -> throw new Main.UsageException(USAGE);
        };
    }

    private static Emulator.Config config(Flags f, Path state) {
        int instances = f.getInt("--instances", 2);
        if (instances < 1 || instances > 60) throw new Main.UsageException("--instances wants 1..60");
        int port = f.getInt("--port", 5055);
        if (port < 1024 || port > 65535) throw new Main.UsageException("--port wants 1024..65535");
        return new Emulator.Config(state, port, Optional.ofNullable(f.get("--stack-name")).orElse("streamr-p2p-beta"),
                instances, f.get("--webhook-secret"), f.get("--slack-webhook-url"), null, false,
                source(Optional.ofNullable(f.get("--source")).orElse("git")));
    }

    /** --source git|https|ssh|codecommit|s3 ({@link Emulator.Source}). */
    static Emulator.Source source(String value) {
        for (Emulator.Source s : Emulator.Source.values()) {
            if (s.name().toLowerCase(java.util.Locale.ROOT).equals(value)) return s;
        }
        throw new Main.UsageException("--source wants one of " + SOURCES);
    }

    private static int up(Flags f, Path state) {
        Emulator.Config config = config(f, state);
        Optional<ProcessHandle> running = running(state);
        if (running.isPresent()) {
            System.err.println("emulator: already running (pid " + running.get().pid() + "); `emulator down` first "
                    + "for a fresh environment");
            return printReady(state);
        }
        try {
            Files.createDirectories(state);
            Files.deleteIfExists(state.resolve("ready.json"));
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                    "emulator", "serve", "--state-dir", state.toString()));
            for (String flag : List.of("--port", "--stack-name", "--instances", "--webhook-secret", "--slack-webhook-url",
                    "--source")) {
                if (f.get(flag) != null) command.addAll(List.of(flag, f.get(flag)));
            }
            // its own output files: `eval "$(emulator up)"` must not wait for a pipe the server keeps open
            Process server = new ProcessBuilder(command).redirectInput(new File("/dev/null")).redirectErrorStream(true)
                    .redirectOutput(state.resolve("emulator.log").toFile()).start();
            Files.writeString(state.resolve("pid"), server.pid() + " " + started(server.toHandle()));
            Instant deadline = Instant.now().plus(START_TIMEOUT);
            while (!Files.exists(state.resolve("ready.json"))) {
                if (!server.isAlive() || Instant.now().isAfter(deadline)) {
                    server.destroy();
                    Files.deleteIfExists(state.resolve("pid"));
                    System.err.println("emulator: did not start on port " + config.port() + "; see "
                            + state.resolve("emulator.log") + ":\n" + tail(state.resolve("emulator.log")));
                    return 1;
                }
                Thread.sleep(200);
            }
            return printReady(state);
        } catch (IOException e) {
            System.err.println("emulator: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    /** The emulator in this process until it is stopped (SIGTERM from `down`); ready.json says it serves. */
    private static int serve(Emulator.Config config) {
        Emulator emulator = Emulator.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            emulator.close();
            stopped.countDown();
        }));
        try {
            writeReady(emulator, config.state());
            emulator.afterChange(() -> {
                try {
                    writeReady(emulator, config.state());
                } catch (IOException e) {
                    System.err.println("emulator: cannot rewrite ready.json: " + e.getMessage());
                }
            });
            System.err.println("emulator: serving on " + emulator.endpoint());
            stopped.await();
            return 0;
        } catch (IOException e) {
            System.err.println("emulator: " + e.getMessage());
            emulator.close();
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    /** What `up` prints and the other commands read: the exports, the instances, the queues. Replaced atomically. */
    private static void writeReady(Emulator emulator, Path state) throws IOException {
        ObjectNode ready = JSON.createObjectNode();
        emulator.awsEnvironment().forEach(ready.putObject("exports")::put);
        var list = ready.putArray("instances");
        for (Emulator.Instance i : emulator.instances()) {
            list.addObject().put("instanceId", i.instanceId()).put("privateIp", i.privateIp()).put("url", i.url().toString());
        }
        SampleEnvironment.Provisioned env = emulator.environment();
        ready.put("stack", env.stackName()).put("reportQueueUrl", emulator.publicUrl(env.reportQueueUrl()))
                .put("gitPushQueueUrl", emulator.publicUrl(env.gitPushQueueUrl()))
                .put("repository", emulator.repository().url());
        Path tmp = state.resolve("ready.json.tmp");
        Files.writeString(tmp, ready.toPrettyString());
        Files.move(tmp, state.resolve("ready.json"), StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * {@code emulator scale-out} and {@code emulator replace ID}: the app's Auto Scaling group launches an instance
     * (or replaces one of its own by a new one), which UserData boots at the commit the stack first named, as the
     * incident's instances come up. Prints the new instance, then the exports with the instance list as it is now.
     */
    private static int change(Path state, String action, String instanceId) {
        if (running(state).isEmpty()) {
            System.err.println("emulator: not running; `emulator up` first");
            return 1;
        }
        try {
            JsonNode ready = JSON.readTree(state.resolve("ready.json").toFile());
            String query = instanceId == null ? "" : "?instance=" + URLEncoder.encode(instanceId, StandardCharsets.UTF_8);
            URI endpoint = URI.create(ready.path("exports").path("AWS_ENDPOINT_URL").asText() + "/_emulator/" + action + query);
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(endpoint)
                    .timeout(Duration.ofMinutes(5)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode answer = JSON.readTree(r.body());
            if (r.statusCode() != 200) {
                System.err.println("emulator: " + answer.path("error").asText(r.body()));
                return 1;
            }
            System.err.println("emulator: " + (instanceId == null ? "launched " : "replaced " + instanceId + " by ")
                    + answer.path("instanceId").asText() + " at " + answer.path("url").asText()
                    + ", booted by its UserData at the commit the stack first named");
            return printReady(state);
        } catch (IOException e) {
            System.err.println("emulator: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private static int printReady(Path state) {
        JsonNode ready;
        try {
            ready = JSON.readTree(state.resolve("ready.json").toFile());
        } catch (IOException e) {
            System.err.println("emulator: " + state.resolve("ready.json") + " is unreadable: " + e.getMessage());
            return 1;
        }
        StringBuilder about = new StringBuilder("emulator: " + ready.path("exports").path("AWS_ENDPOINT_URL").asText()
                + ", stack " + ready.path("stack").asText() + " with " + ready.path("instances").size() + " instances:");
        for (JsonNode i : ready.path("instances")) {
            about.append("\n  ").append(i.path("instanceId").asText()).append("  ").append(i.path("url").asText());
        }
        about.append("\n  published reports: SQS queue ").append(ready.path("reportQueueUrl").asText())
                .append("\n  git pushes on the bus: SQS queue ").append(ready.path("gitPushQueueUrl").asText())
                .append("\n  the app's repository: ").append(ready.path("repository").asText())
                .append("\n  function invocations: ").append(state.resolve("functions.log"));
        System.err.println(about);
        List<Map.Entry<String, JsonNode>> exports = new ArrayList<>();
        ready.path("exports").fields().forEachRemaining(exports::add);
        exports.stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> System.out.println("export " + e.getKey() + "='" + e.getValue().asText() + "'"));
        System.out.println("# env-vars for invoke: " + ready.path("exports").path("DRIFT_REMEDIATOR_ENV_VARS").asText());
        return 0;
    }

    private static int down(Path state) {
        Optional<ProcessHandle> running = running(state);
        if (running.isEmpty()) {
            System.err.println("emulator: not running");
        } else {
            ProcessHandle p = running.get();
            p.destroy();
            try {
                p.onExit().get(60, TimeUnit.SECONDS);
            } catch (Exception slow) {
                p.destroyForcibly();
            }
            System.err.println("emulator: stopped (pid " + p.pid() + ")");
        }
        try {
            Files.deleteIfExists(state.resolve("pid"));
            Files.deleteIfExists(state.resolve("ready.json"));
        } catch (IOException e) {
            System.err.println("emulator: " + e.getMessage());
        }
        System.out.println("unset AWS_ENDPOINT_URL DRIFT_REMEDIATOR_ENV_VARS DRIFT_REMEDIATOR_INSTANCE_IDS DRIFT_REMEDIATOR_INSTANCE_URLS");
        return 0;
    }

    /** The recorded server, if that pid is still our emulator: the same start time (a pid can be reused). */
    private static Optional<ProcessHandle> running(Path state) {
        Path pid = state.resolve("pid");
        if (!Files.exists(pid)) return Optional.empty();
        try {
            String[] recorded = Files.readString(pid).strip().split(" ", 2);
            return ProcessHandle.of(Long.parseLong(recorded[0])).filter(ProcessHandle::isAlive)
                    .filter(p -> recorded.length == 2 && recorded[1].equals(started(p)));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static String started(ProcessHandle p) {
        return p.info().startInstant().map(Object::toString).orElse("unknown");
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }

    private static Path stateDir(Flags f) {
        String dir = f.get("--state-dir");
        if (dir == null) dir = System.getenv("DRIFT_REMEDIATOR_STATE");
        return dir != null ? Path.of(dir).toAbsolutePath()
                : Path.of(System.getProperty("user.home"), ".drift-remediator", "emulator");
    }
}
