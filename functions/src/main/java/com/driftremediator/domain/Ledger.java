package com.driftremediator.domain;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Port: remediation attempts and the environment lock; every write is conditional. */
public interface Ledger {
    enum Claim {
        CLAIMED,
        /** Another attempt holds the environment lock, and it has not expired. */
        LOCK_BUSY,
        /** This attempt (environment, revision, number) was claimed already: a duplicate or concurrent check. */
        DUPLICATE
    }

    Optional<Attempt> find(String environment, String attemptId);

    /** Every attempt of the environment, newest first, read consistently. */
    List<Attempt> attempts(String environment);

    default List<Attempt> recent(String environment, int limit) {
        return attempts(environment).stream().limit(limit).toList();
    }

    Optional<EnvironmentLock> lock(String environment);

    /**
     * In one transaction: records the PENDING attempt (only if new) and takes the environment lock until
     * {@code lockExpiresAt} (only if free, or its expiry is before {@code now}).
     */
    Claim claim(Attempt pending, Instant lockExpiresAt, Instant now);

    /**
     * Writes {@code to}'s state, commands, reason and time when the attempt is still in {@code from} (which may be
     * {@code to}'s own state: a command added); false when it was not.
     */
    boolean transition(Attempt to, AttemptState from);

    /** Moves the lock's expiry when {@code attemptId} still holds it. */
    void extendLock(String environment, String attemptId, Instant expiresAt);

    /** Frees the lock when {@code attemptId} still holds it. */
    void releaseLock(String environment, String attemptId);

    /** Deletes a PENDING claim whose command could not be sent, and its lock, so a later check may try again. */
    void release(Attempt pending);

    /** Records one instance's result once: the attempt with it, or empty when it had reported already. */
    Optional<Attempt> recordResult(String environment, String attemptId, String instanceId, InstanceResult result);

    /** Marks an ended attempt as retried by an operator; false when it does not exist or is still in flight. */
    boolean requestRetry(String environment, String attemptId, Instant at);
}
