package com.driftremediator.domain;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The DriftCheckFunction use case, level-triggered: read the authority's desired revision and what every target
 * of this environment runs, decide, and when some are out of sync make one attempt under the environment lock,
 * in batches of at most 50 instance ids, all within one deadline.
 */
public final class DriftCheck {
    /** How long a check may run when the caller gives no budget (the sandbox, tests). */
    public static final Duration DEFAULT_BUDGET = Duration.ofMinutes(1);
    /** A claim's lock outlives the check's deadline by this much: a crashed check frees it soon after. */
    static final Duration CLAIM_LOCK_MARGIN = Duration.ofSeconds(30);
    /** Kept back from observation for the claim and the sends. */
    static final Duration SEND_RESERVE = Duration.ofSeconds(10);

    /** The retry policy, and how long the lock is held once the command is sent (the command's whole timeout). */
    public record Policy(RetryPolicy retry, Duration inFlightLock) {
        public static final Policy DEFAULT = new Policy(RetryPolicy.DEFAULT, Duration.ofMinutes(75));
    }

    private final String environment;
    private final String stack;
    private final Fleet fleet;
    private final RevisionSource revisions;
    private final CommandRunner runner;
    private final Ledger ledger;
    private final Notifier notifier;
    private final Clock clock;
    private final Policy policy;
    private final Adoption adoption;

    public DriftCheck(String environment, String stack, Fleet fleet, RevisionSource revisions, CommandRunner runner,
                      Ledger ledger, Notifier notifier, Clock clock) {
        this(environment, stack, fleet, revisions, runner, ledger, notifier, clock, Policy.DEFAULT);
    }

    public DriftCheck(String environment, String stack, Fleet fleet, RevisionSource revisions, CommandRunner runner,
                      Ledger ledger, Notifier notifier, Clock clock, Policy policy) {
        this.environment = environment;
        this.stack = stack;
        this.fleet = fleet;
        this.revisions = revisions;
        this.runner = runner;
        this.ledger = ledger;
        this.notifier = notifier;
        this.clock = clock;
        this.policy = policy;
        this.adoption = new Adoption(ledger, runner, clock, policy.inFlightLock());
    }

    public CheckResult run(Trigger trigger) {
        return run(trigger, DEFAULT_BUDGET);
    }

    /** @param budget the time the whole check may take (the Lambda context's remaining time, less a margin) */
    public CheckResult run(Trigger trigger, Duration budget) {
        Instant start = clock.instant();
        Instant deadline = start.plus(budget);
        List<String> notes = new ArrayList<>();
        if (trigger.push() != null) notes.add(revisions.offer(trigger.push()));
        Optional<DesiredRevision> found = revisions.desired();
        if (found.isEmpty()) {
            return CheckResult.ignored(environment, "the revision authority names no desired revision", note(notes));
        }
        DesiredRevision desired = found.get();
        Revision revision = desired.revision();
        if (trigger.kind() == Trigger.Kind.RETRY) {
            notes.add(retry(trigger.revision() != null ? trigger.revision() : revision, revision, start));
        } else if (trigger.revision() != null && !trigger.revision().equals(revision)) {
            notes.add("the event named " + trigger.revision().shortSha() + "; the authority (" + desired.describe()
                    + ") names " + revision.shortSha() + ", which is what is deployed");
        }

        List<Attempt> attempts = ledger.attempts(environment);
        Optional<EnvironmentLock> lock = ledger.lock(environment);
        if (lock.isPresent() && !lock.get().heldAt(start)) {
            String holderId = lock.get().attemptId();
            Optional<Attempt> holder = attempts.stream().filter(a -> a.id().equals(holderId)).findFirst();
            if (holder.isPresent() && holder.get().state() == AttemptState.PENDING) {
                Attempt recovered = adoption.recover(holder.get());
                notes.add("attempt " + recovered.id() + " " + recovered.state() + ": " + recovered.reason());
                attempts = ledger.attempts(environment);
                lock = ledger.lock(environment);
            }
        }

        List<Target> targets = fleet.targets();
        List<Observation> observations = fleet.observeAll(targets, observeBy(start, deadline));
        List<CheckResult.TargetResult> results = new ArrayList<>();
        List<Target> toRedeploy = new ArrayList<>();
        Revision previouslyServed = null;
        for (int i = 0; i < targets.size(); i++) {
            Target target = targets.get(i);
            Observation observation = i < observations.size() && observations.get(i) != null ? observations.get(i)
                    : new Observation(target, Observation.Reachability.REACHABLE, null, null, null, null, null);
            Verdict verdict = Verdict.of(revision, observation);
            Decision decision = Decision.decide(verdict, observation);
            if (decision.action() == Decision.Action.REDEPLOY) {
                toRedeploy.add(target);
                if (previouslyServed == null) {
                    previouslyServed = observation.served() != null ? observation.served() : observation.onDisk();
                }
            }
            results.add(new CheckResult.TargetResult(target, verdict, decision));
        }
        if (toRedeploy.isEmpty()) {
            return new CheckResult(environment, desired, results, null, List.of(), null, note(notes));
        }

        Instant now = clock.instant();
        if (lock.isPresent() && lock.get().heldAt(now)) lock = freedIfEnded(lock.get(), notes);
        if (lock.isPresent() && lock.get().heldAt(now)) {
            EnvironmentLock l = lock.get();
            String why = l.revision().equals(revision)
                    ? "attempt " + l.attemptId() + " of this revision is under way (lock until " + l.expiresAt() + ")"
                    : "another remediation holds the environment lock: " + l.revision().shortSha() + " attempt "
                    + l.attemptId() + " until " + l.expiresAt();
            return skipped(desired, results, why, notes);
        }
        RetryPolicy.Admission admission = policy.retry().admit(revision, attempts, now);
        if (admission instanceof RetryPolicy.Blocked b) return skipped(desired, results, b.reason(), notes);
        if (admission instanceof RetryPolicy.Wait w) return skipped(desired, results, w.reason(), notes);
        int number = ((RetryPolicy.Allowed) admission).number();

        String why = results.stream().filter(r -> r.decision().action() == Decision.Action.REDEPLOY)
                .map(r -> r.decision().reason()).findFirst().orElse("");
        Attempt pending = Attempt.pending(environment, revision, number,
                toRedeploy.stream().map(Target::instanceId).toList(), previouslyServed, why, now);
        Ledger.Claim claim = ledger.claim(pending, deadline.plus(CLAIM_LOCK_MARGIN), now);
        if (claim == Ledger.Claim.LOCK_BUSY) {
            return skipped(desired, results, "another check took the environment lock first", notes);
        }
        if (claim == Ledger.Claim.DUPLICATE) {
            return skipped(desired, results, "duplicate: attempt " + pending.id() + " already claimed", notes);
        }

        Attempt started = pending;
        Map<String, String> commandOf = new LinkedHashMap<>();
        for (int from = 0; from < toRedeploy.size(); from += CommandRunner.MAX_BATCH) {
            List<Target> batch = toRedeploy.subList(from, Math.min(from + CommandRunner.MAX_BATCH, toRedeploy.size()));
            String commandId;
            try {
                commandId = runner.sendRedeploy(pending, batch);
            } catch (RuntimeException e) {
                if (started.commands().isEmpty()) {
                    ledger.release(pending);
                    notifier.publish(report(pending, desired, Outcome.FAILED, "redeploy not sent: " + e.getMessage(), null,
                            now));
                    throw e;
                }
                notes.add("batch " + (from / CommandRunner.MAX_BATCH + 1) + " not sent (" + e.getMessage()
                        + "): its instances get a new attempt at the next check");
                break;
            }
            started = started.withCommand(commandId, batch.stream().map(Target::instanceId).toList(), clock.instant());
            for (Target t : batch) commandOf.put(t.instanceId(), commandId);
        }
        started = started.moveTo(AttemptState.IN_PROGRESS, why, clock.instant());
        // A crash before these writes leaves the claim PENDING: its lock expires, and the next check or the result
        // handler finds the commands by their comment and adopts them.
        ledger.transition(started, AttemptState.PENDING);
        ledger.extendLock(environment, started.id(), clock.instant().plus(policy.inFlightLock()));
        notifier.publish(report(started, desired, Outcome.STARTED, why, started.commandId(), null));
        List<CheckResult.TargetResult> withCommands = results.stream().map(r -> commandOf.containsKey(r.target().instanceId())
                ? new CheckResult.TargetResult(r.target(), r.verdict(), r.decision(), commandOf.get(r.target().instanceId()))
                : r.decision().action() == Decision.Action.REDEPLOY
                ? new CheckResult.TargetResult(r.target(), r.verdict(), Decision.skip("its batch was not sent"))
                : r).toList();
        return new CheckResult(environment, desired, withCommands, started.id(), List.copyOf(started.commands().keySet()),
                null, note(notes));
    }

    /**
     * Ending an attempt and freeing its lock are two writes: a function that stops between them leaves the lock to its
     * expiry. The holder is read again now (it may have been claimed after this check read the attempts): one that
     * has ended, or whose claim was given back, holds nothing, and its lock is freed (only if it is still its own).
     * Returns the lock as it is then.
     */
    private Optional<EnvironmentLock> freedIfEnded(EnvironmentLock lock, List<String> notes) {
        Optional<Attempt> holder = ledger.find(environment, lock.attemptId());
        if (holder.isPresent() && holder.get().state().inFlight()) return Optional.of(lock);
        ledger.releaseLock(environment, lock.attemptId());
        notes.add("freed the environment lock of attempt " + lock.attemptId() + ", which "
                + (holder.isPresent() ? "ended " + holder.get().state() : "gave its claim back") + " without freeing it");
        return ledger.lock(environment);
    }

    /** A push that reached the check while it waits (the stack updates): branch mode moves its head. */
    public String offer(Push push) {
        return push == null ? "no push" : revisions.offer(push);
    }

    /** Records an operator's retry of the revision's latest ended attempt; says what it did. */
    private String retry(Revision retried, Revision authority, Instant now) {
        Optional<Attempt> latest = Attempt.of(retried, ledger.attempts(environment)).stream().findFirst();
        String unlike = retried.equals(authority) ? ""
                : "; the authority names " + authority.shortSha() + ", which is what is deployed";
        if (latest.isEmpty()) return "retry of " + retried.shortSha() + ": no attempt to retry" + unlike;
        Attempt a = latest.get();
        if (a.state().inFlight()) return "retry of " + retried.shortSha() + ": attempt " + a.id() + " is still " + a.state();
        return ledger.requestRetry(environment, a.id(), now)
                ? "retry of " + retried.shortSha() + " recorded (after attempt " + a.number() + " " + a.state() + ")" + unlike
                : "retry of " + retried.shortSha() + " not recorded: attempt " + a.id() + " moved on";
    }

    /** Observation gets the check's time but the part kept back for the claim and the sends. */
    private static Instant observeBy(Instant start, Instant deadline) {
        Duration total = Duration.between(start, deadline);
        Duration reserve = total.dividedBy(3).compareTo(SEND_RESERVE) < 0 ? total.dividedBy(3) : SEND_RESERVE;
        return deadline.minus(reserve);
    }

    private CheckResult skipped(DesiredRevision desired, List<CheckResult.TargetResult> results, String reason,
                                List<String> notes) {
        List<CheckResult.TargetResult> skipped = results.stream().map(r -> r.decision().action() == Decision.Action.REDEPLOY
                ? new CheckResult.TargetResult(r.target(), r.verdict(), Decision.skip(reason)) : r).toList();
        return new CheckResult(environment, desired, skipped, null, List.of(), null, note(notes));
    }

    private static String note(List<String> notes) {
        return notes.isEmpty() ? null : String.join("; ", notes);
    }

    private Report report(Attempt a, DesiredRevision desired, Outcome outcome, String reason, String commandId,
                          Instant finished) {
        return new Report(environment, stack, a.instances(), a.revision(), a.previous(), desired.describe(), reason, outcome,
                commandId, a.createdAt(), finished, Map.of(), null);
    }
}
