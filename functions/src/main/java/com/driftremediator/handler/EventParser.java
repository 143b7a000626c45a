package com.driftremediator.handler;

import com.driftremediator.domain.Push;
import com.driftremediator.domain.Revision;
import com.driftremediator.domain.Target;
import com.driftremediator.domain.Trigger;
import com.driftremediator.json.Json;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the events that reach DriftCheckFunction and CommandResultFunction (plain JSON, no SDK types).
 * Anything else, or one that is not for this environment, becomes {@link Ignored} with the reason:
 * the handlers never throw on input.
 */
public final class EventParser {
    private static final Set<String> ACTING_STACK_STATUSES = Set.of("CREATE_COMPLETE", "UPDATE_COMPLETE");
    private static final Set<String> UNFINISHED_INVOCATION = Set.of("Pending", "InProgress", "Delayed", "Cancelling");

    /**
     * @param stackName          the app stack (CloudFormation events of other stacks are ignored)
     * @param branch             the branch this environment follows (pushes to others are ignored)
     * @param repository         GitHub "owner/name" (null: any repository the webhook forwarded)
     * @param codeCommitRepository CodeCommit repository name (null: CodeCommit events are ignored)
     * @param redeployDocument   the RedeployDocument's name (status changes of other documents are ignored)
     */
    public record Config(String stackName, String branch, String repository, String codeCommitRepository,
                         String redeployDocument) {
    }

    public sealed interface Parsed permits Check, Result, Ignored {
    }

    /** Run a drift check. */
    public record Check(Trigger trigger) implements Parsed {
    }

    /** A finished RedeployDocument invocation on one instance. */
    public record Result(String commandId, Target target, String status) implements Parsed {
    }

    public record Ignored(String reason) implements Parsed {
    }

    private final Config config;

    public EventParser(Config config) {
        this.config = config;
    }

    public Parsed driftCheck(String json) {
        Json.Value e = Json.parseObject(json);
        if (e == null) return new Ignored("not a JSON object");
        String action = e.path("action").asText(null);
        if ("check".equals(action)) {
            return manual(e, Trigger.Kind.MANUAL, "manual check");
        }
        if ("retry".equals(action)) {
            return manual(e, Trigger.Kind.RETRY, "operator retry");
        }
        String source = e.path("source").asText("");
        String type = e.path("detail-type").asText("");
        Json.Value detail = e.path("detail");
        return switch (source + " / " + type) {
            case "aws.cloudformation / CloudFormation Stack Status Change" -> stackStatus(e, detail);
            case "drift-remediator.github / Git Push" -> gitPush(detail);
            case "aws.codecommit / CodeCommit Repository State Change" -> codeCommit(detail, instant(e.path("time").asText(null)));
            case "aws.events / Scheduled Event" -> new Check(new Trigger(Trigger.Kind.SCHEDULE, null,
                    "schedule " + e.path("resources").path(0).asText("")));
            default -> new Ignored("unknown event: source '" + cut(source) + "', detail-type '" + cut(type) + "'");
        };
    }

    public Parsed commandResult(String json) {
        Json.Value e = Json.parseObject(json);
        if (e == null) return new Ignored("not a JSON object");
        if (!"aws.ssm".equals(e.path("source").asText(""))
                || !"EC2 Command Invocation Status-change Notification".equals(e.path("detail-type").asText(""))) {
            return new Ignored("not an SSM command invocation status change");
        }
        Json.Value d = e.path("detail");
        String document = d.path("document-name").asText("");
        if (!document.equals(config.redeployDocument())) {
            return new Ignored("document " + cut(document) + " is not " + config.redeployDocument());
        }
        String status = d.path("status").asText("");
        if (status.isEmpty() || UNFINISHED_INVOCATION.contains(status)) {
            return new Ignored("invocation not finished: " + cut(status));
        }
        String commandId = d.path("command-id").asText("");
        String instanceId = d.path("instance-id").asText("");
        if (commandId.isBlank() || !Target.isInstanceId(instanceId)) {
            return new Ignored("no command-id or instance-id");
        }
        return new Result(commandId, new Target(instanceId), status);
    }

    private Parsed manual(Json.Value e, Trigger.Kind kind, String detail) {
        String sha = e.path("revision").asText(null);
        if (sha == null) return new Check(new Trigger(kind, null, detail));
        return Revision.parse(sha).<Parsed>map(r -> new Check(new Trigger(kind, r, detail)))
                .orElse(new Ignored(detail + ": revision is not a 40-hex SHA"));
    }

    private Parsed stackStatus(Json.Value e, Json.Value detail) {
        String stackId = detail.path("stack-id").asText(e.path("resources").path(0).asText(""));
        String stack = stackName(stackId);
        String status = detail.path("status-details").path("status").asText("");
        if (!config.stackName().equals(stack)) {
            return new Ignored("stack " + cut(stack) + " is not " + config.stackName());
        }
        if (!ACTING_STACK_STATUSES.contains(status)) {
            return new Ignored("stack " + stack + " status " + cut(status) + " does not start a check");
        }
        return new Check(new Trigger(Trigger.Kind.STACK_COMPLETE, null, "stack " + stack + " " + status));
    }

    private Parsed gitPush(Json.Value d) {
        String repository = d.path("repository").asText("");
        String branch = d.path("branch").asText("");
        if (config.repository() != null && !config.repository().equalsIgnoreCase(repository)) {
            return new Ignored("push to repository " + cut(repository) + ", not " + config.repository());
        }
        if (!config.branch().equals(branch)) {
            return new Ignored("push to branch " + cut(branch) + ", not " + config.branch());
        }
        Optional<Revision> after = Revision.parse(d.path("after").asText(null));
        if (after.isEmpty()) return new Ignored("push without a commit SHA in 'after' (a branch deletion?)");
        Long pushedAt = d.path("pushedAt").longValue();
        String detail = "push to " + repository + " " + branch + " by " + cut(d.path("pusher").asText("?"));
        Push push = new Push(Revision.parse(d.path("before").asText(null)).orElse(null), after.get(),
                pushedAt == null || pushedAt <= 0 ? null : Instant.ofEpochSecond(pushedAt),
                d.path("forced").asBoolean(false), detail);
        return new Check(new Trigger(Trigger.Kind.GIT_PUSH, after.get(), detail, push));
    }

    private Parsed codeCommit(Json.Value d, Instant time) {
        String repository = d.path("repositoryName").asText("");
        if (config.codeCommitRepository() == null || !config.codeCommitRepository().equals(repository)) {
            return new Ignored("CodeCommit repository " + cut(repository) + " is not followed");
        }
        if (!"referenceUpdated".equals(d.path("event").asText(""))) {
            return new Ignored("CodeCommit event " + cut(d.path("event").asText("")) + " is not referenceUpdated");
        }
        String branch = d.path("referenceName").asText("");
        if (!"branch".equals(d.path("referenceType").asText("")) || !config.branch().equals(branch)) {
            return new Ignored("CodeCommit reference " + cut(branch) + " is not branch " + config.branch());
        }
        Optional<Revision> after = Revision.parse(d.path("commitId").asText(null));
        if (after.isEmpty()) return new Ignored("CodeCommit event without a commitId");
        String detail = "CodeCommit " + repository + " " + branch;
        // CodeCommit says nothing of force: a reference moved to a non-descendant is ordered by the event's time
        Push push = new Push(Revision.parse(d.path("oldCommitId").asText(null)).orElse(null), after.get(), time, false, detail);
        return new Check(new Trigger(Trigger.Kind.GIT_PUSH, after.get(), detail, push));
    }

    private static Instant instant(String text) {
        try {
            return text == null ? null : Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** {@code arn:aws:cloudformation:REGION:ACCOUNT:stack/NAME/UUID} to NAME. */
    static String stackName(String stackArn) {
        String[] parts = stackArn.split("/");
        return parts.length >= 2 && parts[0].endsWith(":stack") ? parts[1] : stackArn;
    }

    /** Event text echoed into a reason: short, without control characters. */
    private static String cut(String s) {
        String t = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        return t.replaceAll("\\p{Cntrl}", "?");
    }
}
