package com.driftremediator.aws;

import com.driftremediator.domain.Attempt;
import com.driftremediator.domain.AttemptComment;
import com.driftremediator.domain.CommandRunner;
import com.driftremediator.domain.Revision;
import com.driftremediator.domain.Target;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.Command;
import software.amazon.awssdk.services.ssm.model.CommandFilterKey;
import software.amazon.awssdk.services.ssm.model.GetCommandInvocationResponse;
import software.amazon.awssdk.services.ssm.model.InvalidCommandIdException;
import software.amazon.awssdk.services.ssm.model.InvocationDoesNotExistException;
import software.amazon.awssdk.services.ssm.model.SendCommandRequest;

/**
 * Runs RedeployDocument through SSM Run Command, one command per batch of at most 50 explicit instance ids (never tag
 * targets: a tag can reach instances this check never observed, or another environment's). Concurrency, error
 * budget and timeout are explicit; output goes to CloudWatch; the comment names the attempt.
 */
public final class SsmCommandRunner implements CommandRunner {
    static final int MAX_INSTANCE_IDS = MAX_BATCH;

    private final SsmClient ssm;
    private final Config config;

    /**
     * @param parameters document parameters besides Revision (RepositoryUrl, AppDirectory, ...)
     * @param retryWait  pause between GetCommandInvocation attempts while the invocation does not exist yet
     */
    public record Config(String documentName, String maxConcurrency, String maxErrors, int timeoutSeconds, String logGroup,
                         Map<String, String> parameters, int invocationAttempts, Duration retryWait) {
    }

    public SsmCommandRunner(SsmClient ssm, Config config) {
        this.ssm = ssm;
        this.config = config;
    }

    @Override
    public String sendRedeploy(Attempt attempt, List<Target> batch) {
        if (batch.isEmpty()) throw new IllegalArgumentException("no targets");
        if (batch.size() > MAX_INSTANCE_IDS) {
            throw new IllegalArgumentException(batch.size() + " targets: SendCommand takes at most " + MAX_INSTANCE_IDS + " instance ids");
        }
        Map<String, List<String>> parameters = new HashMap<>();
        config.parameters().forEach((k, v) -> parameters.put(k, List.of(v)));
        parameters.put("Revision", List.of(attempt.revision().sha()));
        SendCommandRequest request = SendCommandRequest.builder()
                .documentName(config.documentName())
                .parameters(parameters)
                .instanceIds(batch.stream().map(Target::instanceId).toList())
                .maxConcurrency(config.maxConcurrency())
                .maxErrors(config.maxErrors())
                .timeoutSeconds(config.timeoutSeconds())
                .comment(AttemptComment.of(attempt).text())
                .cloudWatchOutputConfig(c -> c.cloudWatchOutputEnabled(true).cloudWatchLogGroupName(config.logGroup()))
                .build();
        return ssm.sendCommand(request).command().commandId();
    }

    @Override
    public Optional<CommandResult> result(String commandId, Target target) {
        Optional<Command> command;
        try {
            command = ssm.listCommands(b -> b.commandId(commandId)).commands().stream().findFirst();
        } catch (InvalidCommandIdException unknown) {
            return Optional.empty();
        }
        if (command.isEmpty()) return Optional.empty();
        Optional<GetCommandInvocationResponse> invocation = invocation(commandId, target);
        if (invocation.isEmpty()) return Optional.empty();
        GetCommandInvocationResponse r = invocation.get();
        Command c = command.get();
        Revision revision = Optional.ofNullable(c.parameters()).map(p -> p.getOrDefault("Revision", List.of()))
                .flatMap(values -> values.stream().findFirst()).flatMap(Revision::parse).orElse(null);
        return Optional.of(new CommandResult(revision, AttemptComment.parse(c.comment()), c.instanceIds(),
                r.statusAsString(), r.statusDetails(), r.standardOutputContent(), r.standardErrorContent()));
    }

    @Override
    public List<SentCommand> sentFor(Attempt attempt) {
        String comment = AttemptComment.of(attempt).text();
        List<SentCommand> sent = new ArrayList<>();
        ssm.listCommandsPaginator(b -> b.filters(
                        f -> f.key(CommandFilterKey.DOCUMENT_NAME).value(config.documentName()),
                        f -> f.key(CommandFilterKey.INVOKED_AFTER).value(attempt.createdAt().minusSeconds(60).toString())))
                .commands().forEach(c -> {
                    if (comment.equals(c.comment())) sent.add(new SentCommand(c.commandId(), c.instanceIds()));
                });
        return sent;
    }

    /** Right after SendCommand the invocation may not exist for a moment; empty when it never appears. */
    private Optional<GetCommandInvocationResponse> invocation(String commandId, Target target) {
        for (int attempt = 1; ; attempt++) {
            try {
                return Optional.of(ssm.getCommandInvocation(b -> b.commandId(commandId).instanceId(target.instanceId())));
            } catch (InvocationDoesNotExistException | InvalidCommandIdException e) {
                if (attempt >= config.invocationAttempts()) return Optional.empty();
                try {
                    Thread.sleep(config.retryWait().toMillis());
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return Optional.empty();
                }
            }
        }
    }
}
