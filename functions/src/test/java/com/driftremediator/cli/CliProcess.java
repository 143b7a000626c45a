package com.driftremediator.cli;

import com.driftremediator.testing.ProjectPaths;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs {@code remediator ARGS} as its own process (the test classpath instead of the shaded jar). */
public record CliProcess(int exitCode, String stdout, String stderr) {
    public static CliProcess run(Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(ProjectPaths.root().toFile());
        pb.environment().remove("AWS_ENDPOINT_URL");
        pb.environment().remove("DRIFT_REMEDIATOR_ENV_VARS");
        pb.environment().putAll(env);
        try {
            Path out = java.nio.file.Files.createTempFile("cli", ".out");
            Path err = java.nio.file.Files.createTempFile("cli", ".err");
            Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            p.getOutputStream().close();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("remediator " + String.join(" ", args) + " did not finish");
            }
            return new CliProcess(p.exitValue(), java.nio.file.Files.readString(out, StandardCharsets.UTF_8),
                    java.nio.file.Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
