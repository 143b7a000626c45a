package com.driftremediator.slack;

import com.driftremediator.domain.Outcome;

/** Which template a report is rendered with: one per kind of event people read differently. */
public enum MessageKind {
    /** Stale code detected but no redeploy sent (SKIPPED: the revision failed before, or a lock is held). */
    DETECTED,
    /** Stale code detected and a redeploy sent (STARTED). Its ts is kept so the result is threaded under it. */
    STARTED,
    /** REMEDIATED or NOOP: the app serves the desired revision. */
    SUCCEEDED,
    ROLLED_BACK,
    FAILED,
    /** UNREACHABLE or TIMED_OUT: nobody knows what the instances serve. */
    UNREACHABLE;

    public static MessageKind of(Outcome outcome) {
        return switch (outcome) {
            case SKIPPED -> DETECTED;
            case STARTED -> STARTED;
            case REMEDIATED, NOOP -> SUCCEEDED;
            case ROLLED_BACK -> ROLLED_BACK;
            case FAILED -> FAILED;
            case UNREACHABLE, TIMED_OUT -> UNREACHABLE;
        };
    }

    /** The kinds whose message carries the diagnosis excerpt. */
    public boolean showsDiagnosis() {
        return this == FAILED || this == ROLLED_BACK || this == UNREACHABLE;
    }
}
