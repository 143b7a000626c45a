package com.driftremediator.domain;

import java.util.List;
import java.util.Optional;

/** Port: remediation attempts, one per (environment, revision); every write is conditional. */
public interface Ledger {
    Optional<Attempt> find(String environment, Revision revision);

    /** Records a new PENDING attempt; false when one already exists (a duplicate or concurrent event). */
    boolean claim(Attempt pending);

    /** Moves an attempt from {@code from} to {@code to.state()}; false when it was no longer in {@code from}. */
    boolean transition(Attempt to, AttemptState from);

    /** Deletes a PENDING claim whose command could not be sent, so a later check may try again. */
    void release(Attempt pending);

    /**
     * Records one target's outcome, once: returns the attempt with it, or empty when that target had
     * already reported (a duplicate event) or no attempt exists.
     */
    Optional<Attempt> recordResult(String environment, Revision revision, String instanceId, Outcome outcome);

    /** Every attempt of the environment, newest first, read consistently (it includes what {@link #find} would). */
    List<Attempt> attempts(String environment);

    default List<Attempt> recent(String environment, int limit) {
        return attempts(environment).stream().limit(limit).toList();
    }
}
