package com.driftremediator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;

/**
 * {@code invoke --package}: what the Lambda java21 container image runs, without the container. AWS's Runtime
 * Interface Emulator ({@code aws-lambda-rie}, the container's entry point under {@code sam local invoke}) on a free
 * loopback port starts the runtime interface client as the runtime's bootstrap does: the runtime's jars alone on the
 * class path, the package as the task root (the working directory, from which the client loads the package's
 * classes and {@code lib/*.jar}). The event is posted to the emulator's invocation endpoint, as {@code sam local
 * invoke} posts it; the answer goes to stdout, the emulator's and the function's output to stderr, then both stop.
 */
final class LambdaContainer {
    private static final String INVOCATIONS = "/2015-03-31/functions/function/invocations";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration LISTEN_TIMEOUT = Duration.ofSeconds(10);

    private LambdaContainer() {
    }

    /** Returns 0, or 1 when the function failed (its error is still printed). */
    static int invoke(FunctionSpec spec, Path pkg, byte[] event, Map<String, String> shell, String region,
                      PrintStream stdout) {
        Path rie = Project.venv().resolve("bin/aws-lambda-rie");
        if (!Files.isExecutable(rie)) {
            throw new Main.UsageException("invoke --package runs AWS's Runtime Interface Emulator, and " + rie
                    + " is missing: run bin/test once (it builds it with go install)");
        }
        Path runtime = Project.root().resolve("functions/target/lambda-runtime");
        if (!Files.isDirectory(runtime)) {
            throw new Main.UsageException("invoke --package runs AWS's runtime interface client, and " + runtime
                    + " is missing: run ./mvnw -f functions package -DskipTests");
        }
        int port = freePort();
        // Past this, `timeout` stops the emulator (and the emulator the runtime) even if this CLI was killed: the
        // emulator bounds the init and the invocation by the function's timeout each.
        Duration limit = Duration.ofSeconds(2L * spec.timeoutSeconds() + 30);
        ProcessBuilder pb = new ProcessBuilder(command(rie, port, runtime, spec, limit))
                .directory(pkg.toAbsolutePath().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.clear();
        env.putAll(containerEnvironment(spec, pkg, runtime, shell, region));
        Process container;
        try {
            container = pb.start();
        } catch (IOException e) {
            throw new IllegalStateException("could not start " + rie + ": " + e.getMessage(), e);
        }
        Thread logs = copy(container.getInputStream(), System.err);
        Thread stopOnExit = new Thread(() -> stop(container));
        Runtime.getRuntime().addShutdownHook(stopOnExit);
        try {
            awaitListening(container, port);
            System.err.println("invoke: aws-lambda-rie (pid " + container.children().findFirst().map(ProcessHandle::pid)
                    .orElse(-1L) + ") on 127.0.0.1:" + port + ", running " + spec.handler() + " from " + pkg);
            HttpResponse<String> answer = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + INVOCATIONS))
                            .timeout(limit).POST(HttpRequest.BodyPublishers.ofByteArray(event)).build(),
                    HttpResponse.BodyHandlers.ofString());
            stdout.println(answer.body());
            stdout.flush();
            return answer.statusCode() == 200 && !isError(answer.body()) ? 0 : 1;
        } catch (IOException e) {
            throw new IllegalStateException("the Runtime Interface Emulator did not answer: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } finally {
            stop(container);
            join(logs);
            try {
                Runtime.getRuntime().removeShutdownHook(stopOnExit);
            } catch (IllegalStateException shuttingDown) {
                // the hook stops the container too
            }
        }
    }

    /** `timeout`, the emulator on loopback, and behind it what the java21 runtime's bootstrap starts. */
    private static List<String> command(Path rie, int port, Path runtime, FunctionSpec spec, Duration limit) {
        return List.of("timeout", "-k", "5", limit.toSeconds() + "s", rie.toString(),
                "--runtime-interface-emulator-address", "127.0.0.1:" + port,
                "--runtime-api-address", "127.0.0.1:" + freePort(),
                // the runtime's JVM flags (benchmarks/harness Runtime.jvmFlags has the same)
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:MaxHeapSize=" + spec.memoryMb() * 85 / 100 + "m", "-XX:+UseSerialGC", "-Xshare:auto",
                "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-Djava.net.preferIPv4Stack=true",
                "-Dorg.crac.Core.Compat=com.amazonaws.services.lambda.crac",
                "-cp", runtime + File.separator + "*", "com.amazonaws.services.lambda.runtime.api.client.AWSLambda",
                spec.handler());
    }

    /**
     * What the container's processes see, as {@code sam local invoke} sets it: the function's variables, Lambda's
     * own, the region and the credentials. Nothing else from this shell: a variable the function reads but the
     * template does not declare is missing here as it is on Lambda.
     */
    static Map<String, String> containerEnvironment(FunctionSpec spec, Path pkg, Path runtime, Map<String, String> shell,
                                                    String region) {
        Map<String, String> env = new LinkedHashMap<>(Map.of(
                "PATH", "/usr/local/bin:/usr/bin:/bin", "LANG", "en_US.UTF-8", "TZ", ":UTC",
                "LAMBDA_TASK_ROOT", pkg.toAbsolutePath().toString(), "LAMBDA_RUNTIME_DIR", runtime.toString(),
                "AWS_REGION", region, "AWS_DEFAULT_REGION", region));
        env.putAll(Map.of("AWS_LAMBDA_FUNCTION_NAME", spec.logicalId(),
                "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(spec.memoryMb()),
                "AWS_LAMBDA_FUNCTION_TIMEOUT", Integer.toString(spec.timeoutSeconds()),
                "AWS_LAMBDA_FUNCTION_HANDLER", spec.handler(),
                "AWS_LAMBDA_FUNCTION_VERSION", "$LATEST",
                "AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + spec.logicalId(),
                "AWS_LAMBDA_LOG_STREAM_NAME", "$LATEST",
                "AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand",
                "AWS_EXECUTION_ENV", "AWS_Lambda_java21"));
        env.putAll(spec.logging());
        env.putAll(credentials(shell));
        env.putAll(spec.variables());
        return env;
    }

    /** The shell's key variables, else the profile's keys (SAM passes its session's): no other source, no network. */
    private static Map<String, String> credentials(Map<String, String> shell) {
        if (shell.get("AWS_ACCESS_KEY_ID") != null) {
            Map<String, String> keys = new HashMap<>();
            for (String name : List.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")) {
                if (shell.get(name) != null) keys.put(name, shell.get(name));
            }
            return keys;
        }
        try (ProfileCredentialsProvider profile = ProfileCredentialsProvider.create()) {
            AwsCredentials c = profile.resolveCredentials();
            return c instanceof AwsSessionCredentials s
                    ? Map.of("AWS_ACCESS_KEY_ID", s.accessKeyId(), "AWS_SECRET_ACCESS_KEY", s.secretAccessKey(),
                    "AWS_SESSION_TOKEN", s.sessionToken())
                    : Map.of("AWS_ACCESS_KEY_ID", c.accessKeyId(), "AWS_SECRET_ACCESS_KEY", c.secretAccessKey());
        } catch (RuntimeException noProfile) {
            return Map.of();
        }
    }

    /**
     * The emulator answers a function's error with 200 and Lambda's error shape (no X-Amz-Function-Error header),
     * and a timeout with 200 and a line of text.
     */
    private static boolean isError(String body) {
        try {
            JsonNode answer = JSON.readTree(body);
            return answer == null || answer.has("errorType") && answer.has("errorMessage");
        } catch (IOException notJson) {
            return true;
        }
    }

    private static void awaitListening(Process container, int port) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(LISTEN_TIMEOUT);
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return;
            } catch (IOException notYet) {
                if (!container.isAlive() || Instant.now().isAfter(deadline)) {
                    throw new IOException("it does not listen on 127.0.0.1:" + port + " (see its output above)");
                }
                Thread.sleep(50);
            }
        }
    }

    /**
     * SIGTERM: `timeout` passes it on, and the emulator kills the runtime before it exits. Whatever is still there
     * after that is killed, and waited for.
     */
    private static void stop(Process container) {
        List<ProcessHandle> tree = container.descendants().toList();
        container.destroy();
        try {
            if (!container.waitFor(10, TimeUnit.SECONDS)) container.destroyForcibly();
            for (ProcessHandle p : tree) {
                p.destroyForcibly();
                p.onExit().get(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            System.err.println("invoke: a process of the container did not stop: " + e);
        }
    }

    private static Thread copy(InputStream from, PrintStream to) {
        Thread t = new Thread(() -> {
            try (from) {
                from.transferTo(to);
            } catch (IOException closed) {
                // the container stopped
            }
        }, "container-output");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void join(Thread t) {
        try {
            t.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        System.err.flush();
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free loopback port: " + e.getMessage(), e);
        }
    }
}
