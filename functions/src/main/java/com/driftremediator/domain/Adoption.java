package com.driftremediator.domain;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A PENDING claim whose check stopped (its lock expired, or it is older than the command timeout): the commands it
 * sent are found again by their comment and adopted (IN_PROGRESS), or, when none was sent, it ends RETRYABLE.
 */
final class Adoption {
    private final Ledger ledger;
    private final CommandRunner runner;
    private final Clock clock;
    private final Duration inFlightLock;

    Adoption(Ledger ledger, CommandRunner runner, Clock clock, Duration inFlightLock) {
        this.ledger = ledger;
        this.runner = runner;
        this.clock = clock;
        this.inFlightLock = inFlightLock;
    }

    /** The attempt as it is now (adopted, ended, or moved on by someone else). */
    Attempt recover(Attempt pending) {
        Instant now = clock.instant();
        List<CommandRunner.SentCommand> sent = runner.sentFor(pending);
        Attempt next;
        if (sent.isEmpty()) {
            next = pending.moveTo(AttemptState.RETRYABLE, "claimed at " + pending.createdAt()
                    + " but never sent (the check stopped before SendCommand)", now);
        } else {
            Attempt adopted = pending;
            for (CommandRunner.SentCommand c : sent) adopted = adopted.withCommand(c.commandId(), c.instances(), now);
            next = adopted.moveTo(AttemptState.IN_PROGRESS, "adopted " + sent.size()
                    + " command(s) sent but never recorded (found by their comment)", now);
        }
        if (!ledger.transition(next, AttemptState.PENDING)) {
            return ledger.find(pending.environment(), pending.id()).orElse(pending);
        }
        if (next.state() == AttemptState.IN_PROGRESS) {
            ledger.extendLock(next.environment(), next.id(), now.plus(inFlightLock));
        } else {
            ledger.releaseLock(next.environment(), next.id());
        }
        return next;
    }

    /** Adopts one command whose comment names the attempt but which the attempt does not list yet. */
    Optional<Attempt> adoptCommand(Attempt attempt, String commandId, List<String> instances) {
        Instant now = clock.instant();
        Attempt with = attempt.withCommand(commandId, instances, now);
        AttemptState from = attempt.state();
        if (from == AttemptState.PENDING) {
            with = with.moveTo(AttemptState.IN_PROGRESS, "adopted command " + commandId + " (sent but never recorded)", now);
        }
        if (!ledger.transition(with, from)) return ledger.find(attempt.environment(), attempt.id());
        if (from == AttemptState.PENDING) ledger.extendLock(with.environment(), with.id(), now.plus(inFlightLock));
        return Optional.of(with);
    }
}
