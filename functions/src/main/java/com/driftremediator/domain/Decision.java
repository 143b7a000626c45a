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
     * The rules for one target: act only when out of sync (or unknown but reachable: the document is a noop when
     * current), never on an unreachable instance, never on an agent too old for ENV_VAR parameters (it would run
     * the script without its values; checked again at every check). Whether the revision may get an attempt at all
     * is the {@link RetryPolicy}'s question.
     */
    public static Decision decide(Verdict verdict, Observation observation) {
        if (verdict.health() == Verdict.Health.UNREACHABLE) {
            return skip(verdict.explanation());
        }
        if (verdict.sync() == Verdict.Sync.SYNCED && verdict.health() != Verdict.Health.DEGRADED) {
            return noop(verdict.explanation());
        }
        if (observation != null && !observation.agentSupportsEnvVar()) {
            return skip("SSM agent " + observation.agentVersion() + " is older than " + Observation.ENV_VAR_AGENT
                    + ", which RedeployDocument's ENV_VAR parameters need: update the agent (AWS-UpdateSSMAgent); "
                    + "checked again at the next check");
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
