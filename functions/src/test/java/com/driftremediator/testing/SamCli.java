package com.driftremediator.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The project's SAM CLI and cfn-lint, run from the repository root, and {@code sam build} of template.yaml done once
 * per test JVM: TemplateIT checks the packages, InvokeCommandIT runs them, neither builds them again.
 */
public final class SamCli {
    public static final Path BUILD = ProjectPaths.root().resolve("functions/target/sam-build");
    private static Result build;

    private SamCli() {
    }

    public record Result(int exit, String output) {
    }

    public static synchronized Result build() {
        if (build == null) {
            build = run(List.of(ProjectPaths.venvTool("sam").toString(), "build", "--template-file", "template.yaml",
                    "--build-dir", BUILD.toString()), 900);
        }
        return build;
    }

    /** One function's package from {@link #build()}; fails when the build did. */
    public static Path builtPackage(String function) {
        Result r = build();
        if (r.exit() != 0) throw new IllegalStateException("sam build failed:\n" + r.output());
        return BUILD.resolve(function);
    }

    public static Result run(List<String> command, int timeoutSeconds) {
        try {
            Path log = Files.createTempFile("sam-cli", ".log");
            ProcessBuilder pb = new ProcessBuilder(command).directory(ProjectPaths.root().toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            pb.environment().put("SAM_CLI_TELEMETRY", "0");
            pb.environment().put("MVN", ProjectPaths.root().resolve("mvnw").toString()); // for functions/Makefile
            pb.environment().put("PATH", ProjectPaths.venvTool("sam").getParent() + ":" + System.getenv("PATH"));
            Process p = pb.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out: " + Files.readString(log));
            }
            return new Result(p.exitValue(), Files.readString(log));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
