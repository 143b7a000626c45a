package com.driftremediator.local;

import com.driftremediator.domain.Attempt;
import com.driftremediator.domain.AttemptComment;
import com.driftremediator.domain.CommandRunner;
import com.driftremediator.domain.RedeploySummary;
import com.driftremediator.domain.Revision;
import com.driftremediator.domain.Target;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * "SSM Run Command" of RedeployDocument for the sandbox: SSM's parameter check ({@link SsmDocument#resolve}), then
 * the instance's {@link Agent} runs the document, synchronously. {@link #result} cuts the output where
 * GetCommandInvocation does.
 */
public final class LocalCommandRunner implements CommandRunner {
    static final int STDOUT_LIMIT = 24_000;
    static final int STDERR_LIMIT = 8_000;

    private final Sandbox sandbox;
    private final SsmDocument document;
    private final Map<String, Execution> executions = new ConcurrentHashMap<>();
    private final Map<String, AttemptComment> comments = new ConcurrentHashMap<>();

    /** One run of the document on the instance, its output whole. */
    public record Execution(String commandId, Revision revision, Agent.Invocation invocation) {
        public int exitCode() {
            return invocation.responseCode();
        }

        public String stdout() {
            return invocation.stdout();
        }

        public String stderr() {
            return invocation.stderr();
        }

        public RedeploySummary summary() {
            return RedeploySummary.parse(invocation.stdout());
        }
    }

    /** {@code document} is RedeployDocument, as template.yaml defines it. */
    public LocalCommandRunner(Sandbox sandbox, SsmDocument document) {
        this.sandbox = sandbox;
        this.document = document;
    }

    /** Checks the parameters as SSM would (allowedPattern, defaults), then runs the document; returns the command id. */
    @Override
    public String sendRedeploy(Attempt attempt, List<Target> targets) {
        Revision revision = attempt.revision();
        for (Target t : targets) {
            if (!t.equals(sandbox.target())) throw new IllegalArgumentException("InvalidInstanceId: " + t);
        }
        Map<String, String> parameters = document.resolve(sandbox.redeployParameters(revision));
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
        Agent.Invocation i = e.invocation();
        return Optional.of(new CommandResult(e.revision(), Optional.ofNullable(comments.get(commandId)),
                List.of(target.instanceId()), i.status(), i.statusDetails(), cut(i.stdout(), STDOUT_LIMIT),
                cut(i.stderr(), STDERR_LIMIT)));
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
     * Runs the document with these parameter values as they are, without SSM's check (the script must defend
     * itself: agents older than 3.3.2746.0 pass values unchecked, and a value may be missing).
     */
    public Execution execute(String commandId, Map<String, String> parameters) {
        Agent.Invocation invocation = new Agent(sandbox).run(commandId, document, parameters);
        return new Execution(commandId, Revision.parse(parameters.get("Revision")).orElse(null), invocation);
    }

    private static String cut(String s, int limit) {
        return s.length() <= limit ? s : s.substring(0, limit);
    }
}
