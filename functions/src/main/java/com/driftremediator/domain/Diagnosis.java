package com.driftremediator.domain;

import java.time.Instant;

/**
 * The answer to the four questions an engineer asks about a stale instance (what UserData ran, what cloud-init
 * says, which revision is on disk and served, when the service started), with a verdict and a paragraph in plain
 * words. {@link #of} applies the rules; no I/O happens here.
 */
public record Diagnosis(Target target, Verdict verdict, String explanation, Facts facts) {

    public enum Verdict {
        /** The code on disk is the one UserData installed at first boot; nothing has updated it since. */
        STALE_SINCE_BOOT,
        /** The app directory holds another revision than desired, put there after boot (a rollback, a manual deploy). */
        CODE_STALE,
        /** The desired code is on disk, but the running process started before it was switched in. */
        CODE_UPDATED_NOT_RESTARTED,
        /** The desired revision is on disk and the service runs it. */
        HEALTHY_CURRENT,
        /** First-boot setup did not produce a running app: app directory or unit missing, cloud-init errors. */
        SETUP_FAILED,
        /** Set up, but the service is not active (failed, inactive). */
        SERVICE_DOWN,
        /** The instance is stopped, terminated or not found: nothing runs on it. */
        NOT_RUNNING,
        /** Running, but Systems Manager cannot run commands on it (not managed, agent offline, command failed). */
        UNREACHABLE,
        /** The facts do not settle it (no desired revision to compare with, no revision on disk). */
        UNKNOWN
    }

    /**
     * Everything gathered. {@code host} is null when the diagnostic command could not run; {@code hostProblem} says why.
     */
    public record Facts(InstanceFacts instance, String stack, Instant stackUpdatedAt, DesiredRevision desired,
                        UserData userData, HostFacts host, String hostProblem) {
        public Facts {
            if (userData == null) userData = UserData.none();
        }
    }

    public static Diagnosis of(Facts facts) {
        return DiagnosisRules.judge(facts);
    }

    /** One line for reports and logs: "STALE_SINCE_BOOT: service started at boot ...". */
    public String summary() {
        return verdict + ": " + explanation;
    }
}
