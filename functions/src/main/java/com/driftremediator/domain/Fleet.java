package com.driftremediator.domain;

import java.time.Instant;
import java.util.List;

/** Port: the instances of this environment, and what each of them actually runs. */
public interface Fleet {
    /** This environment's instances only (the app stack's, and its Auto Scaling groups'). */
    List<Target> targets();

    /**
     * What each target runs, one observation per target in the same order, collected together (per batch, not
     * one instance after another) and by {@code deadline}: what has not answered by then is unknown.
     */
    List<Observation> observeAll(List<Target> targets, Instant deadline);
}
