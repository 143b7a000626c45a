package bench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Starts a fresh JVM that runs a handler through AWS's runtime interface client, like the Lambda java runtime. */
final class Launcher {
    static final String REGION = "eu-west-1";
    private final Path runtimeLib;
    private final String awsEndpoint;
    private final Path logs;
    private final List<String> tlsFlags;

    /** {@code tlsFlags}: what the JVM needs to trust the AWS front (the TLS a real endpoint costs); none for HTTP. */
    Launcher(Path runtimeLib, String awsEndpoint, List<String> tlsFlags, Path logs) {
        this.runtimeLib = runtimeLib;
        this.awsEndpoint = awsEndpoint;
        this.tlsFlags = tlsFlags;
        this.logs = logs;
    }

    Process start(Subject s, Runtime rt, Path archiveFile, boolean training, RuntimeApi api, Path taskRoot,
                  Map<String, String> extraEnv) throws IOException {
        List<String> command = new ArrayList<>();
        if (rt.cpus() != null) command.addAll(List.of("taskset", "-c", rt.cpus()));
        command.add(rt.java().toString());
        command.addAll(rt.jvmFlags(archiveFile, training));
        command.addAll(tlsFlags);
        // The runtime's own jars on the class path; the function's code is loaded from LAMBDA_TASK_ROOT (the cwd).
        command.addAll(List.of("-cp", runtimeLib + "/*", "com.amazonaws.services.lambda.runtime.api.client.AWSLambda",
                s.handler()));
        ProcessBuilder pb = new ProcessBuilder(command).directory(taskRoot.toFile());
        Map<String, String> env = pb.environment();
        env.clear();
        env.putAll(Map.ofEntries(
                Map.entry("PATH", "/usr/local/bin:/usr/bin:/bin"),
                Map.entry("LANG", "en_US.UTF-8"),
                Map.entry("TZ", ":UTC"),
                Map.entry("AWS_LAMBDA_RUNTIME_API", api.address()),
                Map.entry("_HANDLER", s.handler()),
                Map.entry("LAMBDA_TASK_ROOT", taskRoot.toString()),
                Map.entry("LAMBDA_RUNTIME_DIR", runtimeLib.toString()),
                Map.entry("AWS_REGION", REGION),
                Map.entry("AWS_DEFAULT_REGION", REGION),
                Map.entry("AWS_ACCESS_KEY_ID", "testing"),
                Map.entry("AWS_SECRET_ACCESS_KEY", "testing"),
                Map.entry("AWS_SESSION_TOKEN", "testing"),
                Map.entry("AWS_LAMBDA_FUNCTION_NAME", s.id()),
                Map.entry("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST"),
                Map.entry("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "1024"),
                Map.entry("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + s.id()),
                Map.entry("AWS_LAMBDA_LOG_STREAM_NAME", "bench"),
                Map.entry("AWS_LAMBDA_LOG_FORMAT", "JSON"),
                Map.entry("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand"),
                Map.entry("AWS_EXECUTION_ENV", "AWS_Lambda_java21"),
                Map.entry("AWS_ENDPOINT_URL", awsEndpoint)));
        if (rt.snapStart()) {
            // What Lambda changes for SnapStart: the init type, and credentials from the container endpoint instead
            // of key variables (the loopback Runtime API serves them).
            env.put("AWS_LAMBDA_INITIALIZATION_TYPE", "snap-start");
            env.put("AWS_LAMBDA_FUNCTION_VERSION", "1");
            env.remove("AWS_ACCESS_KEY_ID");
            env.remove("AWS_SECRET_ACCESS_KEY");
            env.remove("AWS_SESSION_TOKEN");
            env.put("AWS_CONTAINER_CREDENTIALS_FULL_URI", api.credentialsUri());
            env.put("AWS_CONTAINER_AUTHORIZATION_TOKEN", RuntimeApi.CREDENTIALS_TOKEN);
        }
        env.putAll(s.env());
        // BENCH_EXTRA_TOOL_OPTIONS (a profiler agent, a logging flag) goes to every JVM the run starts.
        String toolOptions = ((rt.toolOptions() == null ? "" : rt.toolOptions()) + " "
                + System.getenv().getOrDefault("BENCH_EXTRA_TOOL_OPTIONS", "")).strip();
        if (!toolOptions.isEmpty()) env.put("JAVA_TOOL_OPTIONS", toolOptions);
        env.putAll(extraEnv);
        Path log = logs.resolve(s.id() + ".log");
        Files.createDirectories(logs);
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        return pb.start();
    }

    /** Waits for the answer; a handler error or init error fails the run with the function's log to look at. */
    static RuntimeApi.Answer await(RuntimeApi.Invocation invocation, Process p, Subject s, Path logs) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                RuntimeApi.Answer answer = invocation.done.get(100, TimeUnit.MILLISECONDS);
                if (answer.error()) {
                    throw new IllegalStateException(s.id() + " answered an error: " + answer.body() + " (log: "
                            + logs.resolve(s.id() + ".log") + ")");
                }
                // The drift check must have run its full path, to SendCommand, or the sample measures less.
                if (s.id().equals("DriftCheckFunction") && !answer.body().contains("\"commandId\":\"")) {
                    throw new IllegalStateException("DriftCheckFunction sent no redeploy: " + answer.body());
                }
                return answer;
            } catch (TimeoutException notYet) {
                if (!p.isAlive() && !invocation.done.isDone()) {
                    throw new IllegalStateException(s.id() + " exited with " + p.exitValue() + " before answering (log: "
                            + logs.resolve(s.id() + ".log") + ")");
                }
                if (System.nanoTime() > deadline) throw new IllegalStateException(s.id() + ": no answer in 60 s");
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException(s.id() + ": " + e.getCause().getMessage() + " (log: "
                        + logs.resolve(s.id() + ".log") + ")");
            }
        }
    }

    /** SIGTERM first, so that an agent from BENCH_EXTRA_TOOL_OPTIONS (a profiler) writes its output at exit. */
    static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(5, TimeUnit.SECONDS)) p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
    }
}
