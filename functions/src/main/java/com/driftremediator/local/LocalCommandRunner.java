package com.driftremediator.local;

import com.driftremediator.domain.Attempt;
import com.driftremediator.domain.AttemptComment;
import com.driftremediator.domain.CommandRunner;
import com.driftremediator.domain.RedeploySummary;
import com.driftremediator.domain.Revision;
import com.driftremediator.domain.Target;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * "SSM Run Command" for the sandbox: runs RedeployDocument's script (extracted from template.yaml) on the
 * sandbox instance, synchronously, the way the agent does: {@code sh _script.sh} in the command's
 * orchestration directory, parameters as SSM_&lt;Name&gt; variables, no HOME, PATH with the systemctl
 * stand-in. The output is kept for {@link #result}, cut as GetCommandInvocation cuts it.
 */
public final class LocalCommandRunner implements CommandRunner {
    static final int STDOUT_LIMIT = 24_000;
    static final int STDERR_LIMIT = 8_000;

    private final Sandbox sandbox;
    private final RedeployScript document;
    private final Duration timeout;
    private final Map<String, Execution> executions = new ConcurrentHashMap<>();
    private final Map<String, AttemptComment> comments = new ConcurrentHashMap<>();

    /** One run of the script on the instance. */
    public record Execution(String commandId, Revision revision, int exitCode, String stdout, String stderr,
                            Path directory) {
        public RedeploySummary summary() {
            return RedeploySummary.parse(stdout);
        }
    }

    public LocalCommandRunner(Sandbox sandbox, RedeployScript document, Duration timeout) {
        this.sandbox = sandbox;
        this.document = document;
        this.timeout = timeout;
    }

    /** Checks the parameters as SSM would (allowedPattern), then runs the script; returns the command id. */
    @Override
    public String sendRedeploy(Attempt attempt, List<Target> targets) {
        Revision revision = attempt.revision();
        for (Target t : targets) {
            if (!t.equals(sandbox.target())) throw new IllegalArgumentException("InvalidInstanceId: " + t);
        }
        Map<String, String> parameters = sandbox.redeployParameters(revision);
        document.check(parameters);
        String commandId = UUID.randomUUID().toString();
        comments.put(commandId, AttemptComment.of(attempt));
        for (Target t : targets) {
            executions.put(commandId + "/" + t.instanceId(), execute(commandId, parameters));
        }
        return commandId;
    }

    @Override
    public Optional<CommandResult> result(String commandId, Target target) {
        Execution e = executions.get(commandId + "/" + target.instanceId());
        if (e == null) return Optional.empty();
        String status = e.exitCode() == 0 ? "Success" : "Failed";
        return Optional.of(new CommandResult(e.revision(), Optional.ofNullable(comments.get(commandId)),
                List.of(target.instanceId()), status, status, cut(e.stdout(), STDOUT_LIMIT), cut(e.stderr(), STDERR_LIMIT)));
    }

    @Override
    public List<SentCommand> sentFor(Attempt attempt) {
        AttemptComment wanted = AttemptComment.of(attempt);
        return comments.entrySet().stream().filter(c -> c.getValue().equals(wanted))
                .map(c -> new SentCommand(c.getKey(), List.of(sandbox.target().instanceId()))).toList();
    }

    public Execution execution(String commandId, Target target) {
        Execution e = executions.get(commandId + "/" + target.instanceId());
        if (e == null) throw new IllegalArgumentException("InvocationDoesNotExist: " + commandId + " on " + target);
        return e;
    }

    /**
     * Runs the script with these parameter values as they are, without SSM's allowedPattern check (the
     * script must defend itself: old agents pass values unchecked into the environment too).
     */
    public Execution execute(String commandId, Map<String, String> parameters) {
        Path dir = sandbox.root().resolve("var/lib/amazon/ssm").resolve(sandbox.target().instanceId())
                .resolve("document/orchestration").resolve(commandId).resolve("redeploy");
        try {
            Files.createDirectories(dir);
            Path script = Files.writeString(dir.resolve("_script.sh"), document.script());
            ProcessBuilder pb = new ProcessBuilder("sh", script.toString()).directory(dir.toFile());
            Map<String, String> env = pb.environment();
            env.clear();
            env.put("PATH", sandbox.path());
            env.put("AWS_SSM_INSTANCE_ID", sandbox.target().instanceId());
            env.put("AWS_SSM_REGION_NAME", "eu-west-1");
            parameters.forEach((name, value) -> env.put("SSM_" + name, value));
            Processes.Result r = Processes.run(pb, timeout);
            Files.writeString(dir.resolve("stdout"), r.stdout());
            Files.writeString(dir.resolve("stderr"), r.stderr());
            return new Execution(commandId, Revision.parse(parameters.get("Revision")).orElse(null), r.exitCode(),
                    r.stdout(), r.stderr(), dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run the redeploy script in " + dir, e);
        }
    }

    private static String cut(String s, int limit) {
        return s.length() <= limit ? s : s.substring(0, limit);
    }
}
