package com.driftremediator.domain;

import java.time.Instant;

/**
 * At most one redeploy in flight per environment: the lock is taken in the same transaction as an attempt's claim
 * and carries an expiry, so a claim whose check crashed frees itself (short while PENDING: the check's own
 * deadline; the command's timeout once IN_PROGRESS).
 */
public record EnvironmentLock(String environment, String attemptId, Revision revision, Instant expiresAt) {
    public boolean heldAt(Instant now) {
        return expiresAt.isAfter(now);
    }
}
