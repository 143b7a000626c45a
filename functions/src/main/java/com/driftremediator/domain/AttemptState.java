package com.driftremediator.domain;

import java.util.EnumSet;
import java.util.Set;

/** The ledger's state machine: one attempt per (environment, revision, attempt number). */
public enum AttemptState {
    PENDING, IN_PROGRESS, SUCCEEDED, FAILED, ROLLED_BACK, TIMED_OUT,
    /** Ended by a transient failure (lock busy, fetch failed, undeliverable, never sent): retried with backoff. */
    RETRYABLE,
    SUPERSEDED;

    public Set<AttemptState> next() {
        return switch (this) {
            case PENDING -> EnumSet.of(IN_PROGRESS, SUPERSEDED, FAILED, RETRYABLE);
            case IN_PROGRESS -> EnumSet.of(SUCCEEDED, FAILED, ROLLED_BACK, TIMED_OUT, RETRYABLE);
            default -> EnumSet.noneOf(AttemptState.class);
        };
    }

    public boolean canMoveTo(AttemptState target) {
        return next().contains(target);
    }

    public boolean terminal() {
        return next().isEmpty();
    }

    public boolean inFlight() {
        return this == PENDING || this == IN_PROGRESS;
    }

    /**
     * A revision whose latest attempt ended here is not redeployed automatically (a bad release, a failed
     * verification) until the authority names another revision or an operator retries.
     */
    public boolean blocksRedeploy() {
        return this == FAILED || this == ROLLED_BACK;
    }

    /** Retried with backoff, up to the retry policy's count. */
    public boolean transientFailure() {
        return this == RETRYABLE || this == TIMED_OUT;
    }
}
