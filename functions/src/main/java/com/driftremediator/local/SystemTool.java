package com.driftremediator.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The machine's own tools that the private git hosts are made of (openssl, ssh-keygen, Apache httpd, sshd): checked
 * before use with a message that says what to install, and run to their end.
 */
public final class SystemTool {
    private SystemTool() {
    }

    /** Fails with what to install unless {@code binary} is there and we are root (the hosts run as a system does). */
    public static void require(Path binary, String debianPackage, String what) {
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new IllegalStateException(what + " needs root: it runs " + binary + " as a system does");
        }
        if (!Files.isExecutable(binary)) {
            throw new IllegalStateException(what + " needs Debian's " + debianPackage + " (apt-get install " + debianPackage + ")");
        }
    }

    /** Runs {@code command} in {@code dir}; fails with its output unless it exits 0 within {@code timeout}. */
    public static String run(Path dir, Map<String, String> env, Duration timeout, List<String> command) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
            pb.environment().putAll(env);
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
