package com.driftremediator.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Runs a process to its end. Output goes through files: a service it starts may keep a pipe open forever. */
final class Processes {
    private Processes() {
    }

    record Result(int exitCode, String stdout, String stderr) {
        boolean ok() {
            return exitCode == 0;
        }
    }

    static Result run(ProcessBuilder builder, Duration timeout) {
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("drift-remediator-", ".out");
            err = Files.createTempFile("drift-remediator-", ".err");
            Process process = builder.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", builder.command()) + " did not finish within " + timeout);
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", builder.command()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", builder.command()), e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    /** Runs a command that must succeed; returns its trimmed stdout. */
    static String check(ProcessBuilder builder, Duration timeout) {
        Result r = run(builder, timeout);
        if (!r.ok()) {
            throw new IllegalStateException(String.join(" ", builder.command()) + " failed (exit " + r.exitCode() + "): "
                    + r.stderr().strip());
        }
        return r.stdout().strip();
    }

    private static void deleteQuietly(Path p) {
        try {
            if (p != null) Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a temp file left behind is harmless
        }
    }
}
