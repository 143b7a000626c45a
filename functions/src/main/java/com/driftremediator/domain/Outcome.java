package com.driftremediator.domain;

/** How a remediation ended, as reported to people. */
public enum Outcome {
    /** Redeployed and the instance now serves the desired revision. */
    REMEDIATED,
    /** Already running the desired revision, healthy. */
    NOOP,
    /** The new release was unhealthy; the previous one serves again. */
    ROLLED_BACK,
    FAILED,
    TIMED_OUT,
    UNREACHABLE,
    /** Nothing sent: a duplicate, a failed revision, or a lock held. */
    SKIPPED,
    /** A redeploy was sent; its result arrives later. */
    STARTED;
}
