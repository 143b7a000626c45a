package com.driftremediator.domain;

import java.time.Instant;

/**
 * What an instance actually runs, as far as we could see. Null fields were not observable.
 *
 * @param onDisk           revision of the current release in the app directory
 * @param served           revision the running process reports on its version endpoint
 * @param serviceStartedAt when the service process last started
 * @param releaseSwitchedAt when the app directory last changed to {@code onDisk}
 * @param healthy          whether the health endpoint answered OK (null: not probed)
 * @param agentVersion     the SSM agent's version (null: not known)
 */
public record Observation(Target target, Reachability reachability, Revision onDisk, Revision served,
                          Instant serviceStartedAt, Instant releaseSwitchedAt, Boolean healthy, String agentVersion) {
    /** The first SSM agent that honours {@code interpolationType: ENV_VAR}; older ones pass no parameter values. */
    public static final String ENV_VAR_AGENT = "3.3.2746.0";

    public Observation(Target target, Reachability reachability, Revision onDisk, Revision served,
                       Instant serviceStartedAt, Instant releaseSwitchedAt, Boolean healthy) {
        this(target, reachability, onDisk, served, serviceStartedAt, releaseSwitchedAt, healthy, null);
    }

    public record Reachability(boolean reachable, String cause) {
        public static final Reachability REACHABLE = new Reachability(true, null);

        public static Reachability unreachable(String cause) {
            return new Reachability(false, cause);
        }
    }

    public static Observation unreachable(Target target, String cause) {
        return new Observation(target, Reachability.unreachable(cause), null, null, null, null, null);
    }

    public boolean reachable() {
        return reachability.reachable();
    }

    /** False when the agent is known and older than {@link #ENV_VAR_AGENT}. */
    public boolean agentSupportsEnvVar() {
        return agentVersion == null || !olderThan(agentVersion, ENV_VAR_AGENT);
    }

    static boolean olderThan(String version, String than) {
        String[] a = version.strip().split("\\.");
        String[] b = than.split("\\.");
        for (int i = 0; i < Math.max(a.length, b.length); i++) {
            long x = i < a.length ? number(a[i]) : 0;
            long y = i < b.length ? number(b[i]) : 0;
            if (x != y) return x < y;
        }
        return false;
    }

    private static long number(String part) {
        try {
            return Long.parseLong(part);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
