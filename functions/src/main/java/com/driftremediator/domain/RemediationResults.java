package com.driftremediator.domain;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The CommandResultFunction use case: read what the redeploy did on one target, verify what it serves,
 * record it in the ledger once, and publish the outcome when every target has reported.
 */
public final class RemediationResults {
    private final String environment;
    private final String stack;
    private final Fleet fleet;
    private final CommandRunner runner;
    private final Ledger ledger;
    private final Notifier notifier;
    private final FailureDiagnosis diagnosis;
    private final Clock clock;

    public RemediationResults(String environment, String stack, Fleet fleet, CommandRunner runner, Ledger ledger,
                              Notifier notifier, FailureDiagnosis diagnosis, Clock clock) {
        this.environment = environment;
        this.stack = stack;
        this.fleet = fleet;
        this.runner = runner;
        this.ledger = ledger;
        this.notifier = notifier;
        this.diagnosis = diagnosis;
        this.clock = clock;
    }

    /** One target's result. Returns the published report, or empty when nothing new happened (duplicate, not ours). */
    public Optional<Report> record(String commandId, Target target) {
        CommandRunner.CommandResult result = runner.result(commandId, target);
        RedeploySummary summary = RedeploySummary.parse(result.stdout());
        Revision revision = summary != null && summary.revision() != null ? summary.revision() : result.revision();
        if (revision == null) {
            return Optional.empty();
        }
        Outcome outcome = outcomeOf(result, summary);
        String reason = summary != null && !summary.message().isBlank() ? summary.message()
                : "SSM status " + result.status() + (result.statusDetails() == null ? "" : " (" + result.statusDetails() + ")");
        if (outcome == Outcome.REMEDIATED || outcome == Outcome.NOOP) {
            Observation after = fleet.observe(target);
            if (after.served() != null && !after.served().equals(revision)) {
                outcome = Outcome.FAILED;
                reason = "document reported " + summary.result() + " but the service serves " + after.served().shortSha();
            }
        }
        Optional<Attempt> recorded = ledger.recordResult(environment, revision, target.instanceId(), outcome);
        if (recorded.isEmpty() || !recorded.get().complete()) {
            return Optional.empty();
        }
        return finish(recorded.get(), reason);
    }

    /**
     * Attempts left IN_PROGRESS past the command timeout (EventBridge delivery is best effort), and attempts
     * left PENDING as long: claimed, but the check stopped before it recorded the command as sent (a ledger
     * write failing after SendCommand), so whether it ran is unknown. Those end FAILED, never retried
     * automatically: a redeploy is never sent twice for one claim.
     */
    public List<Report> reconcile(Duration commandTimeout) {
        Instant cutoff = clock.instant().minus(commandTimeout);
        List<Report> reports = new ArrayList<>();
        for (Attempt a : ledger.recent(environment, 50)) {
            if (a.updatedAt() == null || !a.updatedAt().isBefore(cutoff)) continue;
            Attempt ended = switch (a.state()) {
                case IN_PROGRESS -> a.moveTo(AttemptState.TIMED_OUT, "no result within " + commandTimeout, clock.instant());
                case PENDING -> a.moveTo(AttemptState.FAILED, "claimed " + a.createdAt() + " but never recorded as sent: "
                        + "see the Run Command history before redeploying " + a.revision().shortSha(), clock.instant());
                default -> null;
            };
            if (ended != null && ledger.transition(ended, a.state())) {
                Report r = report(ended, ended.state() == AttemptState.TIMED_OUT ? Outcome.TIMED_OUT : Outcome.FAILED,
                        ended.reason());
                notifier.publish(r);
                reports.add(r);
            }
        }
        return reports;
    }

    private Optional<Report> finish(Attempt attempt, String reason) {
        AttemptState state = attempt.finalState();
        Attempt done = attempt.moveTo(state, reason, clock.instant());
        if (!ledger.transition(done, AttemptState.IN_PROGRESS)) {
            return Optional.empty();
        }
        Outcome outcome = switch (state) {
            case SUCCEEDED -> attempt.results().values().stream().allMatch(o -> o == Outcome.NOOP)
                    ? Outcome.NOOP : Outcome.REMEDIATED;
            case ROLLED_BACK -> Outcome.ROLLED_BACK;
            case TIMED_OUT -> Outcome.TIMED_OUT;
            default -> Outcome.FAILED;
        };
        Report r = report(done, outcome, reason);
        if (outcome == Outcome.FAILED || outcome == Outcome.ROLLED_BACK) {
            r = r.withDiagnosis(diagnosis.summarize(done.instances(), stack, done.revision()));
        }
        notifier.publish(r);
        return Optional.of(r);
    }

    static Outcome outcomeOf(CommandRunner.CommandResult result, RedeploySummary summary) {
        if (summary != null) {
            return summary.outcome();
        }
        return switch (result.status()) {
            case "TimedOut" -> Outcome.TIMED_OUT;
            case "Undeliverable", "Terminated" -> Outcome.UNREACHABLE;
            default -> Outcome.FAILED;
        };
    }

    private Report report(Attempt a, Outcome outcome, String reason) {
        return new Report(environment, stack, a.instances(), a.revision(), a.previous(), null, reason, outcome,
                a.commandId(), a.createdAt(), a.updatedAt(), Map.of(), null);
    }
}
