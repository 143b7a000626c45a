package com.driftremediator.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SSM agent of one sandbox instance: runs a document's aws:runShellScript steps as the agent does on Linux
 * (docs/aws.md lists what it reproduces): each step's script written to
 * {@code var/lib/amazon/ssm/<instance>/document/orchestration/<command>/<step>/_script.sh} and run there with
 * {@code sh}, as root would be, with no HOME, PATH with the instance's systemctl first, ENV_VAR parameters as
 * {@code SSM_<Name>} and the others substituted into the text ({{ Name }}), the step's timeoutSeconds ending it as
 * TimedOut, exit code 0 Success and any other Failed; a failed step ends the command. Output is kept whole;
 * the caller cuts it where the SSM API does.
 */
public final class Agent {
    private static final Pattern LOOPBACK_URL = Pattern.compile("^(https?://)(127\\.0\\.0\\.1|localhost)([:/].*)?$");

    private final Sandbox instance;

    public Agent(Sandbox instance) {
        this.instance = instance;
    }

    /** One run of a document on this instance, as GetCommandInvocation reports it. */
    public record Invocation(String status, String statusDetails, int responseCode, String stdout, String stderr,
                             Instant startedAt, Instant endedAt) {
        public boolean succeeded() {
            return "Success".equals(status);
        }
    }

    /**
     * Runs {@code document} with {@code parameters} (already checked and completed by
     * {@link SsmDocument#resolve}) under {@code commandId}.
     */
    public Invocation run(String commandId, SsmDocument document, Map<String, String> parameters) {
        Instant started = Instant.now();
        StringBuilder stdout = new StringBuilder();
        StringBuilder stderr = new StringBuilder();
        for (SsmDocument.Step step : document.steps()) {
            Path dir = stepDirectory(commandId, step.name());
            try {
                Files.createDirectories(dir);
                Path script = Files.writeString(dir.resolve("_script.sh"), substitute(step.script(), document, parameters));
                ProcessBuilder pb = new ProcessBuilder("sh", script.toString()).directory(dir.toFile())
                        .redirectInput(Path.of("/dev/null").toFile())
                        .redirectOutput(dir.resolve("stdout").toFile()).redirectError(dir.resolve("stderr").toFile());
                Map<String, String> env = pb.environment();
                env.clear();
                env.put("PATH", instance.path());
                env.put("AWS_SSM_INSTANCE_ID", instance.target().instanceId());
                env.put("AWS_SSM_REGION_NAME", Sandbox.REGION);
                for (SsmDocument.Parameter p : document.parameters().values()) {
                    if (p.environmentVariable() && parameters.containsKey(p.name())) {
                        env.put("SSM_" + p.name(), onThisInstance(parameters.get(p.name())));
                    }
                }
                Process process = pb.start();
                boolean finished = process.waitFor(step.timeout().toMillis(), TimeUnit.MILLISECONDS);
                if (!finished) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
                stdout.append(Files.readString(dir.resolve("stdout"), StandardCharsets.UTF_8));
                stderr.append(Files.readString(dir.resolve("stderr"), StandardCharsets.UTF_8));
                if (!finished) {
                    stderr.append("failed to run commands: the step ").append(step.name()).append(" timed out after ")
                            .append(step.timeout().toSeconds()).append(" s\n");
                    return new Invocation("TimedOut", "ExecutionTimedOut", -1, stdout.toString(), stderr.toString(),
                            started, Instant.now());
                }
                int code = process.exitValue();
                if (code != 0) {
                    stderr.append("failed to run commands: exit status ").append(code).append('\n');
                    return new Invocation("Failed", "Failed", code, stdout.toString(), stderr.toString(), started,
                            Instant.now());
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot run step " + step.name() + " of " + document.name() + " in " + dir, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Invocation("Cancelled", "Cancelled", -1, stdout.toString(), stderr.toString(), started,
                        Instant.now());
            }
        }
        return new Invocation("Success", "Success", 0, stdout.toString(), stderr.toString(), started, Instant.now());
    }

    /** Where a step of a command runs: its _script.sh, and its stdout and stderr files, written as it goes. */
    public Path stepDirectory(String commandId, String step) {
        return instance.root().resolve("var/lib/amazon/ssm").resolve(instance.target().instanceId())
                .resolve("document/orchestration").resolve(commandId).resolve(step);
    }

    /** {{ Name }} of the parameters that are not ENV_VAR, replaced by their value as the agent does (plain text). */
    private String substitute(String script, SsmDocument document, Map<String, String> parameters) {
        String text = script;
        for (SsmDocument.Parameter p : document.parameters().values()) {
            if (p.environmentVariable() || !parameters.containsKey(p.name())) continue;
            text = text.replaceAll("\\{\\{\\s*" + Pattern.quote(p.name()) + "\\s*}}",
                    Matcher.quoteReplacement(onThisInstance(parameters.get(p.name()))));
        }
        return text;
    }

    /**
     * A parameter as this instance sees it. Sandbox instances share this machine's files and network, so an
     * absolute path is one in the instance's tree (its root stands for "/"), and the instance's own loopback in a
     * URL (127.0.0.1, localhost) is its private address, which the app on that instance listens on.
     */
    private String onThisInstance(String value) {
        String root = instance.root().toString();
        if (value.startsWith("/") && !value.equals(root) && !value.startsWith(root + "/")) return root + value;
        Matcher m = LOOPBACK_URL.matcher(value);
        if (!m.matches() || instance.address().equals("127.0.0.1")) return value;
        return m.group(1) + instance.address() + (m.group(3) == null ? "" : m.group(3));
    }
}
