package com.driftremediator.domain;

/** What to do about one target: nothing, redeploy, or skip (with the reason). */
public record Decision(Action action, String reason) {
    public enum Action { NOOP, REDEPLOY, SKIP }

    public static Decision noop(String reason) {
        return new Decision(Action.NOOP, reason);
    }

    public static Decision redeploy(String reason) {
        return new Decision(Action.REDEPLOY, reason);
    }

    public static Decision skip(String reason) {
        return new Decision(Action.SKIP, reason);
    }

    /**
     * The rules: act only when out of sync (or unknown but reachable: the document is a noop when
     * current), never on an unreachable instance, never again on a revision that already failed,
     * never while another attempt for this revision is under way.
     */
    public static Decision decide(Verdict verdict, Attempt previousAttempt) {
        if (verdict.health() == Verdict.Health.UNREACHABLE) {
            return skip(verdict.explanation());
        }
        if (verdict.sync() == Verdict.Sync.SYNCED && verdict.health() != Verdict.Health.DEGRADED) {
            return noop(verdict.explanation());
        }
        if (previousAttempt != null) {
            AttemptState s = previousAttempt.state();
            if (s.failed()) {
                return skip("revision " + previousAttempt.revision().shortSha() + " already " + s
                        + "; not retried automatically");
            }
            if (s == AttemptState.PENDING || s == AttemptState.IN_PROGRESS) {
                return skip("remediation " + previousAttempt.commandId() + " already " + s);
            }
            if (s == AttemptState.SUCCEEDED && verdict.sync() != Verdict.Sync.OUT_OF_SYNC) {
                return noop("already remediated by " + previousAttempt.commandId());
            }
        }
        if (verdict.sync() == Verdict.Sync.UNKNOWN) {
            return redeploy("revision unknown; the redeploy is a noop when current");
        }
        if (verdict.sync() == Verdict.Sync.SYNCED) {
            return redeploy("unhealthy at the desired revision: " + verdict.health());
        }
        return redeploy(verdict.explanation());
    }
}
