package com.driftremediator.domain;

import java.util.List;

/** The answer of one drift check: per target, the verdict and the decision; the command sent, if any. */
public record CheckResult(String environment, DesiredRevision desired, List<TargetResult> targets, String commandId,
                          String ignored) {
    public CheckResult {
        targets = targets == null ? List.of() : List.copyOf(targets);
    }

    public record TargetResult(Target target, Verdict verdict, Decision decision) {
    }

    public static CheckResult ignored(String environment, String reason) {
        return new CheckResult(environment, null, List.of(), null, reason);
    }
}
