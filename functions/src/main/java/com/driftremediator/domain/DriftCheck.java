package com.driftremediator.domain;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The DriftCheckFunction use case: desired revision, observe every target, decide, redeploy at most once. */
public final class DriftCheck {
    private final String environment;
    private final String stack;
    private final Fleet fleet;
    private final RevisionSource revisions;
    private final CommandRunner runner;
    private final Ledger ledger;
    private final Notifier notifier;
    private final Clock clock;

    public DriftCheck(String environment, String stack, Fleet fleet, RevisionSource revisions, CommandRunner runner,
                      Ledger ledger, Notifier notifier, Clock clock) {
        this.environment = environment;
        this.stack = stack;
        this.fleet = fleet;
        this.revisions = revisions;
        this.runner = runner;
        this.ledger = ledger;
        this.notifier = notifier;
        this.clock = clock;
    }

    public CheckResult run(Trigger trigger) {
        Optional<DesiredRevision> found = trigger.revision() != null
                ? Optional.of(new DesiredRevision(trigger.revision(), DesiredRevision.Origin.EVENT, trigger.detail()))
                : revisions.desired();
        if (found.isEmpty()) {
            return CheckResult.ignored(environment, "no source named a desired revision");
        }
        DesiredRevision desired = found.get();
        Revision revision = desired.revision();
        // One read for both questions: this revision's attempt, whatever its age, and what is in flight.
        List<Attempt> attempts = ledger.attempts(environment);
        Attempt previous = attempts.stream().filter(a -> a.revision().equals(revision)).findFirst().orElse(null);
        List<Attempt> recent = attempts.stream().limit(20).toList();
        Optional<Attempt> otherInProgress = recent.stream()
                .filter(a -> !a.revision().equals(revision) && a.state() == AttemptState.IN_PROGRESS)
                .findFirst();

        List<CheckResult.TargetResult> results = new ArrayList<>();
        List<Target> toRedeploy = new ArrayList<>();
        Revision previouslyServed = null;
        for (Target target : fleet.targets()) {
            Observation observation = fleet.observe(target);
            Verdict verdict = Verdict.of(revision, observation);
            Decision decision = Decision.decide(verdict, previous);
            if (decision.action() == Decision.Action.REDEPLOY && otherInProgress.isPresent()) {
                decision = Decision.skip("another remediation holds the lock: " + otherInProgress.get().revision().shortSha()
                        + " " + otherInProgress.get().commandId());
            }
            if (decision.action() == Decision.Action.REDEPLOY) {
                toRedeploy.add(target);
                if (previouslyServed == null) {
                    previouslyServed = observation.served() != null ? observation.served() : observation.onDisk();
                }
            }
            results.add(new CheckResult.TargetResult(target, verdict, decision));
        }
        if (toRedeploy.isEmpty()) {
            return new CheckResult(environment, desired, results, null, null);
        }

        Instant now = clock.instant();
        String why = results.stream().filter(r -> r.decision().action() == Decision.Action.REDEPLOY)
                .map(r -> r.decision().reason()).findFirst().orElse("");
        Attempt pending = new Attempt(environment, revision, AttemptState.PENDING, null,
                toRedeploy.stream().map(Target::instanceId).toList(), previouslyServed, why, now, now);
        if (!ledger.claim(pending)) {
            String state = ledger.find(environment, revision).map(a -> a.state().name()).orElse("claimed");
            return new CheckResult(environment, desired, skipAll(results, "duplicate: attempt for "
                    + revision.shortSha() + " already " + state), null, null);
        }
        supersedeOlderPending(recent, revision, now);

        String commandId;
        try {
            commandId = runner.sendRedeploy(revision, toRedeploy);
        } catch (RuntimeException e) {
            ledger.release(pending);
            notifier.publish(report(pending, desired, Outcome.FAILED, "redeploy not sent: " + e.getMessage(), null, now));
            throw e;
        }
        Attempt started = pending.withCommand(commandId, clock.instant()).moveTo(AttemptState.IN_PROGRESS, why, clock.instant());
        ledger.transition(started, AttemptState.PENDING);
        notifier.publish(report(started, desired, Outcome.STARTED, why, commandId, null));
        return new CheckResult(environment, desired, results, commandId, null);
    }

    private void supersedeOlderPending(List<Attempt> recent, Revision current, Instant now) {
        for (Attempt a : recent) {
            if (a.state() == AttemptState.PENDING && !a.revision().equals(current)) {
                ledger.transition(a.moveTo(AttemptState.SUPERSEDED, "superseded by " + current.shortSha(), now),
                        AttemptState.PENDING);
            }
        }
    }

    private static List<CheckResult.TargetResult> skipAll(List<CheckResult.TargetResult> results, String reason) {
        return results.stream().map(r -> r.decision().action() == Decision.Action.REDEPLOY
                ? new CheckResult.TargetResult(r.target(), r.verdict(), Decision.skip(reason)) : r).toList();
    }

    private Report report(Attempt a, DesiredRevision desired, Outcome outcome, String reason, String commandId,
                          Instant finished) {
        return new Report(environment, stack, a.instances(), a.revision(), a.previous(), desired.describe(), reason, outcome,
                commandId, a.createdAt(), finished, Map.of(), null);
    }
}
