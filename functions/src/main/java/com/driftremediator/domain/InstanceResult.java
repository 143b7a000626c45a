package com.driftremediator.domain;

/**
 * What one attempt did on one instance.
 *
 * @param transientFailure a failure worth retrying (lock busy, fetch failed, interrupted, undeliverable, delivery
 *                         timed out)
 */
public record InstanceResult(Outcome outcome, boolean transientFailure, String reason) {

    /** Higher is worse: the attempt's report names the worst result and its reason. */
    public int severity() {
        return switch (outcome) {
            case FAILED -> transientFailure ? 35 : 60;
            case ROLLED_BACK -> 50;
            case TIMED_OUT -> 40;
            case UNREACHABLE -> 30;
            case SKIPPED -> 20;
            case REMEDIATED -> 10;
            case STARTED -> 5;
            case NOOP -> 0;
        };
    }

    /** The state an attempt ends in when this is its worst result. */
    public AttemptState attemptState() {
        return switch (outcome) {
            case REMEDIATED, NOOP -> AttemptState.SUCCEEDED;
            case ROLLED_BACK -> AttemptState.ROLLED_BACK;
            case TIMED_OUT -> AttemptState.TIMED_OUT;
            case UNREACHABLE -> AttemptState.RETRYABLE;
            default -> transientFailure ? AttemptState.RETRYABLE : AttemptState.FAILED;
        };
    }

    /**
     * The rules for a finished invocation: the document's summary when there is one (exit 3 lock busy, 4 fetch
     * failed and 9 interrupted, e.g. by a reboot or a cancel, with the previous release restored, are transient; 10,
     * too little free space, is not: a retry finds the same full disk; 6 is a bad release, rolled back), else SSM's
     * status (Undeliverable, Terminated,
     * DeliveryTimedOut are transient; a Success without the summary proves nothing and fails).
     */
    public static InstanceResult of(CommandRunner.CommandResult result, RedeploySummary summary) {
        if (summary != null) {
            String why = summary.message().isBlank() ? "RedeployDocument " + summary.result() + " (exit " + summary.exitCode() + ")"
                    : summary.message();
            if (summary.exitCode() == 3 || summary.exitCode() == 4 || summary.exitCode() == 9) {
                return new InstanceResult(Outcome.FAILED, true, why + " (exit " + summary.exitCode() + ", transient)");
            }
            if (summary.exitCode() == 6 && summary.outcome() != Outcome.ROLLED_BACK) {
                return new InstanceResult(Outcome.ROLLED_BACK, false, why);
            }
            return new InstanceResult(summary.outcome(), false, why);
        }
        String details = result.statusDetails() == null ? "" : result.statusDetails();
        String why = "SSM status " + result.status() + (details.isEmpty() ? "" : " (" + details + ")");
        return switch (result.status()) {
            case "TimedOut" -> new InstanceResult(Outcome.TIMED_OUT, true, why);
            case "Undeliverable", "Terminated" -> new InstanceResult(Outcome.UNREACHABLE, true, why);
            case "Cancelled" -> new InstanceResult(Outcome.FAILED, true, why);
            default -> "DeliveryTimedOut".equals(details) || "Undeliverable".equals(details)
                    ? new InstanceResult(Outcome.UNREACHABLE, true, why)
                    : new InstanceResult(Outcome.FAILED, false, why + ": the document printed no summary");
        };
    }
}
