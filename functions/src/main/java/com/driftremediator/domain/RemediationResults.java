package com.driftremediator.domain;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The CommandResultFunction use case: read what the redeploy did on one target, verify what it serves, record it
 * in its attempt once, and publish the outcome (the worst result and its reason) when every target has reported.
 * A result counts only for the attempt its command's comment names, and only for that command's instances.
 */
public final class RemediationResults {
    /** How long verifying one instance's served revision may take. */
    static final Duration VERIFY_WAIT = Duration.ofSeconds(20);

    /** What one result did: the published report, if the attempt ended, and in words what happened. */
    public record Recorded(Optional<Report> published, String note) {
        static Recorded ignored(String note) {
            return new Recorded(Optional.empty(), note);
        }
    }

    private final String environment;
    private final String stack;
    private final Fleet fleet;
    private final CommandRunner runner;
    private final Ledger ledger;
    private final Notifier notifier;
    private final FailureDiagnosis diagnosis;
    private final Clock clock;
    private final Adoption adoption;
    private final RetryPolicy retry;

    public RemediationResults(String environment, String stack, Fleet fleet, CommandRunner runner, Ledger ledger,
                              Notifier notifier, FailureDiagnosis diagnosis, Clock clock) {
        this(environment, stack, fleet, runner, ledger, notifier, diagnosis, clock, DriftCheck.Policy.DEFAULT);
    }

    public RemediationResults(String environment, String stack, Fleet fleet, CommandRunner runner, Ledger ledger,
                              Notifier notifier, FailureDiagnosis diagnosis, Clock clock, DriftCheck.Policy policy) {
        this.environment = environment;
        this.stack = stack;
        this.fleet = fleet;
        this.runner = runner;
        this.ledger = ledger;
        this.notifier = notifier;
        this.diagnosis = diagnosis;
        this.clock = clock;
        this.adoption = new Adoption(ledger, runner, clock, policy.inFlightLock());
        this.retry = policy.retry();
    }

    /**
     * One target's finished invocation. A command SSM or the ledger does not know, another environment's, a late
     * result of an ended attempt, an instance the command was not sent to, a duplicate: ignored, with the reason.
     */
    public Recorded record(String commandId, Target target) {
        Optional<CommandRunner.CommandResult> found = runner.result(commandId, target);
        if (found.isEmpty()) {
            return Recorded.ignored("command " + commandId + " on " + target + " is unknown to SSM: ignored");
        }
        CommandRunner.CommandResult result = found.get();
        if (result.comment().isEmpty()) {
            return Recorded.ignored("command " + commandId + " names no drift-remediator attempt: ignored");
        }
        AttemptComment comment = result.comment().get();
        if (!comment.environment().equals(environment)) {
            return Recorded.ignored("command " + commandId + " belongs to environment " + comment.environment() + ": ignored");
        }
        Optional<Attempt> known = ledger.find(environment, comment.attemptId());
        if (known.isEmpty()) {
            return Recorded.ignored("attempt " + comment.attemptId() + " of command " + commandId
                    + " is unknown to the ledger: ignored");
        }
        Attempt attempt = known.get();
        if (attempt.state().terminal()) {
            return Recorded.ignored("attempt " + attempt.id() + " already " + attempt.state() + ": late result ignored");
        }
        if (!attempt.commands().containsKey(commandId)) {
            // sent, but the check stopped before recording it: the comment names this attempt, so adopt it
            Optional<Attempt> adopted = adoption.adoptCommand(attempt, commandId, result.instances());
            if (adopted.isEmpty() || !adopted.get().commands().containsKey(commandId)) {
                return Recorded.ignored("command " + commandId + " could not be adopted by attempt " + attempt.id());
            }
            attempt = adopted.get();
        }
        if (!attempt.commands().get(commandId).contains(target.instanceId())) {
            return Recorded.ignored(target + " is not one of command " + commandId + "'s instances: ignored");
        }
        InstanceResult outcome = verified(InstanceResult.of(result, RedeploySummary.parse(result.stdout())), target,
                attempt.revision());
        Optional<Attempt> recorded = ledger.recordResult(environment, attempt.id(), target.instanceId(), outcome);
        if (recorded.isEmpty()) {
            return Recorded.ignored("duplicate: " + target + " already reported for attempt " + attempt.id());
        }
        if (!recorded.get().complete()) {
            int waiting = recorded.get().sentInstances().size() - recorded.get().results().size();
            return new Recorded(Optional.empty(), "recorded " + outcome.outcome() + " for " + target + "; " + waiting
                    + " instance(s) of attempt " + attempt.id() + " still to report");
        }
        Optional<Report> published = finish(recorded.get());
        return new Recorded(published, published.isPresent() ? "attempt " + attempt.id() + " ended" : "attempt moved on");
    }

    /** A document that says it deployed (or found the revision running) must be serving it. */
    private InstanceResult verified(InstanceResult r, Target target, Revision revision) {
        if (r.outcome() != Outcome.REMEDIATED && r.outcome() != Outcome.NOOP) return r;
        Observation after = fleet.observeAll(List.of(target), clock.instant().plus(VERIFY_WAIT)).get(0);
        if (after.served() != null && !after.served().equals(revision)) {
            return new InstanceResult(Outcome.FAILED, false, "document reported " + r.outcome()
                    + " but the service serves " + after.served().shortSha());
        }
        return r;
    }

    /**
     * The scheduled reconciliation (EventBridge delivery is best effort). A PENDING claim whose lock expired or that
     * is older than the command timeout: its commands are found by their comment and adopted, or it ends RETRYABLE
     * (never sent). An IN_PROGRESS attempt older than the timeout: the missing results are read from SSM (a deploy
     * that succeeded is recorded as such); what SSM has not finished counts TIMED_OUT.
     */
    public List<Report> reconcile(Duration commandTimeout) {
        Instant now = clock.instant();
        Instant cutoff = now.minus(commandTimeout);
        Optional<EnvironmentLock> lock = ledger.lock(environment);
        List<Report> reports = new ArrayList<>();
        for (Attempt a : ledger.recent(environment, 50)) {
            if (a.state() == AttemptState.PENDING) {
                boolean lockExpired = lock.map(l -> l.attemptId().equals(a.id()) && !l.heldAt(now)).orElse(true);
                if (!lockExpired && !a.updatedAt().isBefore(cutoff)) continue;
                Attempt recovered = adoption.recover(a);
                if (recovered.state() == AttemptState.RETRYABLE) {
                    Report r = report(recovered, Outcome.FAILED, recovered.reason() + "; "
                            + retryHint(recovered), recovered.commandId());
                    notifier.publish(r);
                    reports.add(r);
                }
                continue;
            }
            if (a.state() != AttemptState.IN_PROGRESS || !a.updatedAt().isBefore(cutoff)) continue;
            Attempt current = a;
            for (String instance : a.sentInstances()) {
                if (current.results().containsKey(instance)) continue;
                String commandId = a.commandFor(instance).orElseThrow();
                Optional<CommandRunner.CommandResult> r = runner.result(commandId, new Target(instance));
                InstanceResult ir = r.filter(CommandRunner.CommandResult::finished)
                        .map(x -> InstanceResult.of(x, RedeploySummary.parse(x.stdout())))
                        .orElse(new InstanceResult(Outcome.TIMED_OUT, true, "no result within " + commandTimeout));
                current = ledger.recordResult(environment, a.id(), instance, ir).orElse(current.withResult(instance, ir));
            }
            finish(current).ifPresent(reports::add);
        }
        return reports;
    }

    private Optional<Report> finish(Attempt attempt) {
        Map.Entry<String, InstanceResult> worst = attempt.worst().orElseThrow();
        AttemptState state = worst.getValue().attemptState();
        String reason = worst.getKey() + ": " + worst.getValue().reason();
        Attempt done = attempt.moveTo(state, reason, clock.instant());
        if (!ledger.transition(done, AttemptState.IN_PROGRESS)) {
            return Optional.empty();
        }
        ledger.releaseLock(environment, done.id());
        Outcome outcome = switch (state) {
            case SUCCEEDED -> attempt.results().values().stream().allMatch(o -> o.outcome() == Outcome.NOOP)
                    ? Outcome.NOOP : Outcome.REMEDIATED;
            case ROLLED_BACK -> Outcome.ROLLED_BACK;
            case TIMED_OUT -> Outcome.TIMED_OUT;
            case RETRYABLE -> worst.getValue().outcome() == Outcome.UNREACHABLE ? Outcome.UNREACHABLE : Outcome.FAILED;
            default -> Outcome.FAILED;
        };
        if (state.transientFailure()) reason = reason + "; " + retryHint(done);
        Report r = report(done, outcome, reason, done.commandId());
        if (outcome == Outcome.FAILED || outcome == Outcome.ROLLED_BACK) {
            r = r.withDiagnosis(diagnosis.summarize(List.copyOf(done.sentInstances()), stack, done.revision()));
        }
        notifier.publish(r);
        return Optional.of(r);
    }

    /** What the retry policy does next for a transient failure, in words. */
    private String retryHint(Attempt ended) {
        List<Attempt> attempts = ledger.attempts(environment);
        RetryPolicy.Admission next = retry.admit(ended.revision(), attempts, clock.instant());
        if (next instanceof RetryPolicy.Blocked b) return b.reason();
        if (next instanceof RetryPolicy.Wait w) return "transient: retried at the first check after " + w.until();
        return "transient: retried at the next check";
    }

    private Report report(Attempt a, Outcome outcome, String reason, String commandId) {
        return new Report(environment, stack, a.instances(), a.revision(), a.previous(), null, reason, outcome,
                commandId, a.createdAt(), a.updatedAt(), Map.of(), null);
    }
}
