package com.driftremediator.domain;

import java.util.EnumSet;
import java.util.Set;

/** The ledger's state machine: one attempt per (environment, revision). */
public enum AttemptState {
    PENDING, IN_PROGRESS, SUCCEEDED, FAILED, ROLLED_BACK, TIMED_OUT, SUPERSEDED;

    public Set<AttemptState> next() {
        return switch (this) {
            case PENDING -> EnumSet.of(IN_PROGRESS, SUPERSEDED, FAILED);
            case IN_PROGRESS -> EnumSet.of(SUCCEEDED, FAILED, ROLLED_BACK, TIMED_OUT);
            default -> EnumSet.noneOf(AttemptState.class);
        };
    }

    public boolean canMoveTo(AttemptState target) {
        return next().contains(target);
    }

    public boolean terminal() {
        return next().isEmpty();
    }

    /** A revision in one of these states is never retried automatically. */
    public boolean failed() {
        return this == FAILED || this == ROLLED_BACK || this == TIMED_OUT;
    }
}
