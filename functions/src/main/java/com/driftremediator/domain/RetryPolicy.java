package com.driftremediator.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * When a revision may get a new attempt: transient failures are retried with exponential backoff up to
 * {@code maxTries} in a row; a bad release (rolled back) or another lasting failure is not redeployed
 * automatically until the authority names another revision or an operator retries; after a success, instances
 * that drift again get a new attempt.
 */
public record RetryPolicy(int maxTries, Duration backoff, Duration maxBackoff) {
    public static final RetryPolicy DEFAULT = new RetryPolicy(3, Duration.ofMinutes(2), Duration.ofMinutes(30));

    public RetryPolicy {
        if (maxTries < 1) throw new IllegalArgumentException("the retry count must be at least 1, not " + maxTries);
    }

    public sealed interface Admission permits Allowed, Wait, Blocked {
    }

    public record Allowed(int number) implements Admission {
    }

    public record Wait(String reason, Instant until) implements Admission {
    }

    public record Blocked(String reason) implements Admission {
    }

    public Admission admit(Revision revision, List<Attempt> environmentAttempts, Instant now) {
        List<Attempt> mine = Attempt.of(revision, environmentAttempts);
        int next = Attempt.nextNumber(revision, environmentAttempts);
        int transientInARow = 0;
        Attempt lastTransient = null;
        for (Attempt a : mine) {
            if (a.state().inFlight()) {
                return new Blocked("attempt " + a.id() + " (" + join(a) + ") already " + a.state());
            }
            if (a.retryRequestedAt() != null || a.state() == AttemptState.SUCCEEDED) break;
            if (a.state() == AttemptState.SUPERSEDED) continue;
            if (a.state().blocksRedeploy()) {
                if (transientInARow > 0) break;
                return new Blocked("revision " + revision.shortSha() + " attempt " + a.number() + " ended " + a.state()
                        + (a.state() == AttemptState.ROLLED_BACK ? " (bad release)" : "")
                        + ": not redeployed automatically until the authority names another revision or an operator runs "
                        + "bin/remediator retry");
            }
            if (a.state().transientFailure()) {
                transientInARow++;
                if (lastTransient == null) lastTransient = a;
            }
        }
        if (transientInARow >= maxTries) {
            return new Blocked("revision " + revision.shortSha() + " failed " + transientInARow + " times in a row (last: "
                    + lastTransient.reason() + "): no more automatic tries; bin/remediator retry tries again");
        }
        if (lastTransient != null) {
            Instant until = lastTransient.updatedAt().plus(backoff(transientInARow));
            if (now.isBefore(until)) {
                return new Wait("try " + (transientInARow + 1) + " of " + maxTries + " of " + revision.shortSha()
                        + " waits until " + until + " (last: " + lastTransient.reason() + ")", until);
            }
        }
        return new Allowed(next);
    }

    /** The wait after {@code failures} transient failures in a row: backoff, doubled each time, at most maxBackoff. */
    public Duration backoff(int failures) {
        Duration d = backoff;
        for (int i = 1; i < failures && d.compareTo(maxBackoff) < 0; i++) d = d.multipliedBy(2);
        return d.compareTo(maxBackoff) > 0 ? maxBackoff : d;
    }

    private static String join(Attempt a) {
        return a.commandId() == null ? "no command yet" : a.commandId();
    }
}
