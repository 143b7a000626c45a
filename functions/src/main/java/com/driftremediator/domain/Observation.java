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
 */
public record Observation(Target target, Reachability reachability, Revision onDisk, Revision served,
                          Instant serviceStartedAt, Instant releaseSwitchedAt, Boolean healthy) {

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
}
