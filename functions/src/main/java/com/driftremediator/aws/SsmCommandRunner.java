package com.driftremediator.aws;

import com.driftremediator.domain.CommandRunner;
import com.driftremediator.domain.Revision;
import com.driftremediator.domain.Target;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.Command;
import software.amazon.awssdk.services.ssm.model.GetCommandInvocationResponse;
import software.amazon.awssdk.services.ssm.model.InvocationDoesNotExistException;
import software.amazon.awssdk.services.ssm.model.SendCommandRequest;

/**
 * Runs RedeployDocument through SSM Run Command. Up to 50 targets go by instance id (SendCommand's limit);
 * more go as one tag-targeted command (every instance with the target tag: the document is a noop where
 * the revision already runs). Concurrency, error budget and timeout are explicit; output goes to CloudWatch.
 */
public final class SsmCommandRunner implements CommandRunner {
    static final int MAX_INSTANCE_IDS = 50;

    private final SsmClient ssm;
    private final Config config;

    /**
     * @param parameters document parameters besides Revision (RepositoryUrl, AppDirectory, ...)
     * @param retryWait  pause between GetCommandInvocation attempts while the invocation does not exist yet
     */
    public record Config(String documentName, String environment, String tagKey, String tagValue,
                         String maxConcurrency, String maxErrors, int timeoutSeconds, String logGroup,
                         Map<String, String> parameters, int invocationAttempts, Duration retryWait) {
    }

    public SsmCommandRunner(SsmClient ssm, Config config) {
        this.ssm = ssm;
        this.config = config;
    }

    @Override
    public String sendRedeploy(Revision revision, List<Target> targets) {
        if (targets.isEmpty()) throw new IllegalArgumentException("no targets");
        Map<String, List<String>> parameters = new HashMap<>();
        config.parameters().forEach((k, v) -> parameters.put(k, List.of(v)));
        parameters.put("Revision", List.of(revision.sha()));
        SendCommandRequest.Builder request = SendCommandRequest.builder()
                .documentName(config.documentName())
                .parameters(parameters)
                .maxConcurrency(config.maxConcurrency())
                .maxErrors(config.maxErrors())
                .timeoutSeconds(config.timeoutSeconds())
                .comment(comment(revision))
                .cloudWatchOutputConfig(c -> c.cloudWatchOutputEnabled(true).cloudWatchLogGroupName(config.logGroup()));
        if (targets.size() <= MAX_INSTANCE_IDS) {
            request.instanceIds(targets.stream().map(Target::instanceId).toList());
        } else {
            request.targets(t -> t.key("tag:" + config.tagKey()).values(config.tagValue()));
        }
        return ssm.sendCommand(request.build()).command().commandId();
    }

    @Override
    public CommandResult result(String commandId, Target target) {
        GetCommandInvocationResponse r = invocation(commandId, target);
        Revision revision = ssm.listCommands(b -> b.commandId(commandId)).commands().stream().findFirst()
                .map(Command::parameters).map(p -> p.getOrDefault("Revision", List.of()))
                .flatMap(values -> values.stream().findFirst()).flatMap(Revision::parse).orElse(null);
        return new CommandResult(revision, r.statusAsString(), r.statusDetails(), r.standardOutputContent(),
                r.standardErrorContent());
    }

    /** Right after SendCommand the invocation may not exist for a moment. */
    private GetCommandInvocationResponse invocation(String commandId, Target target) {
        for (int attempt = 1; ; attempt++) {
            try {
                return ssm.getCommandInvocation(b -> b.commandId(commandId).instanceId(target.instanceId()));
            } catch (InvocationDoesNotExistException e) {
                if (attempt >= config.invocationAttempts()) throw e;
                try {
                    Thread.sleep(config.retryWait().toMillis());
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private String comment(Revision revision) {
        String c = "drift-remediator: redeploy " + revision.shortSha() + " (" + config.environment() + ")";
        return c.length() > 100 ? c.substring(0, 100) : c; // SendCommand's Comment limit
    }
}
