package com.driftremediator.domain;

import java.util.List;

/**
 * The answer of one drift check: per target, the verdict, the decision and the command sent to it; the attempt,
 * if one was made; a note on what the event did (a branch head moved, a stale push ignored, a retry recorded).
 */
public record CheckResult(String environment, DesiredRevision desired, List<TargetResult> targets, String attemptId,
                          List<String> commandIds, String ignored, String note) {
    public CheckResult {
        targets = targets == null ? List.of() : List.copyOf(targets);
        commandIds = commandIds == null ? List.of() : List.copyOf(commandIds);
    }

    public record TargetResult(Target target, Verdict verdict, Decision decision, String commandId) {
        public TargetResult(Target target, Verdict verdict, Decision decision) {
            this(target, verdict, decision, null);
        }
    }

    /** The first command sent, or null. */
    public String commandId() {
        return commandIds.isEmpty() ? null : commandIds.get(0);
    }

    public static CheckResult ignored(String environment, String reason, String note) {
        return new CheckResult(environment, null, List.of(), null, List.of(), reason, note);
    }
}
