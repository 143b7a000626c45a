package com.driftremediator.domain;

import com.driftremediator.local.InMemoryLedger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

class RemediationResultsTest {
    static final Revision OLD = VerdictTest.OLD;
    static final Revision NEW = VerdictTest.NEW;
    static final Target A = DriftCheckTest.A;
    static final Target B = DriftCheckTest.B;

    final Fakes.MutableClock clock = new Fakes.MutableClock(DriftCheckTest.START);
    final Fakes.FakeRunner runner = new Fakes.FakeRunner();
    final Fakes.FakeFleet fleet = new Fakes.FakeFleet();
    final InMemoryLedger ledger = new InMemoryLedger();
    final List<Report> published = new CopyOnWriteArrayList<>();
    Attempt attempt;

    RemediationResults results() {
        return new RemediationResults("beta", "streamr-p2p-beta", fleet, runner, ledger, published::add,
                (instances, stack, desired) -> instances + " of " + stack + ": STALE_SINCE_BOOT", clock, DriftCheckTest.POLICY);
    }

    @BeforeEach
    void anAttemptInProgressOnTwoInstances() {
        attempt = Attempt.pending("beta", NEW, 1, List.of(A.instanceId(), B.instanceId()), OLD, "stale", clock.instant());
        ledger.claim(attempt, clock.instant().plusSeconds(90), clock.instant());
        runner.sendRedeploy(attempt, List.of(A, B));
        attempt = attempt.withCommand("cmd-1", List.of(A.instanceId(), B.instanceId()), clock.instant())
                .moveTo(AttemptState.IN_PROGRESS, "stale", clock.instant());
        ledger.transition(attempt, AttemptState.PENDING);
        fleet.observations.put(A, DriftCheckTest.serving(A, NEW));
        fleet.observations.put(B, DriftCheckTest.serving(B, NEW));
    }

    @Test
    void aVerifiedDeploySucceedsAndIsPublishedOnceWhenEveryInstanceReported() {
        runner.printed("cmd-1", A, "deployed", 0, NEW, "switched");
        runner.printed("cmd-1", B, "deployed", 0, NEW, "switched");
        assertThat(results().record("cmd-1", A).published()).isEmpty();
        assertThat(results().record("cmd-1", B).published()).get().extracting(Report::outcome).isEqualTo(Outcome.REMEDIATED);
        assertThat(results().record("cmd-1", B).note()).contains("already SUCCEEDED");
        assertThat(published).singleElement().satisfies(r -> {
            assertThat(r.previous()).isEqualTo(OLD);
            assertThat(r.diagnosis()).isNull();
        });
        assertThat(ledger.lock("beta")).isEmpty();
    }

    @Test
    void aDeployThatStillServesOldCodeIsAFailure() {
        runner.printed("cmd-1", A, "deployed", 0, NEW, "switched");
        runner.printed("cmd-1", B, "deployed", 0, NEW, "switched");
        fleet.observations.put(B, DriftCheckTest.serving(B, OLD));
        results().record("cmd-1", A);
        Report r = results().record("cmd-1", B).published().orElseThrow();
        assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(r.verdictReason()).contains("serves " + OLD.shortSha());
        assertThat(r.diagnosis()).contains("STALE_SINCE_BOOT");
    }

    @Test
    void theReportNamesTheWorstOutcomeAndItsReasonNotTheLastReporters() {
        runner.printed("cmd-1", A, "rolled_back", 6, OLD, "health check failed: rolled back");
        runner.printed("cmd-1", B, "deployed", 0, NEW, "switched, healthy");
        results().record("cmd-1", A);
        Report r = results().record("cmd-1", B).published().orElseThrow();
        assertThat(r.outcome()).isEqualTo(Outcome.ROLLED_BACK);
        assertThat(r.verdictReason()).isEqualTo(A.instanceId() + ": health check failed: rolled back");
        assertThat(ledger.find("beta", attempt.id()).orElseThrow().state()).isEqualTo(AttemptState.ROLLED_BACK);
    }

    @Test
    void aCommandSsmDoesNotKnowIsIgnoredNotFailed() {
        RemediationResults.Recorded r = results().record("cmd-unknown", A);
        assertThat(r.published()).isEmpty();
        assertThat(r.note()).contains("unknown to SSM");
    }

    @Test
    void aCommandWithoutAnAttemptsCommentIsIgnored() {
        runner.status("cmd-by-hand", A, "Success", "Success");
        assertThat(results().record("cmd-by-hand", A).note()).contains("names no drift-remediator attempt");
    }

    @Test
    void anAttemptTheLedgerDoesNotKnowIsIgnored() {
        Attempt other = Attempt.pending("beta", NEW, 7, List.of(A.instanceId()), OLD, "", clock.instant());
        runner.sendRedeploy(other, List.of(A));
        runner.printed("cmd-2", A, "deployed", 0, NEW, "switched");
        assertThat(results().record("cmd-2", A).note()).contains("unknown to the ledger");
    }

    @Test
    void anotherEnvironmentsCommandIsIgnored() {
        Attempt prod = Attempt.pending("prod", NEW, 1, List.of(A.instanceId()), OLD, "", clock.instant());
        runner.sendRedeploy(prod, List.of(A));
        runner.printed("cmd-2", A, "deployed", 0, NEW, "switched");
        assertThat(results().record("cmd-2", A).note()).contains("belongs to environment prod");
        assertThat(ledger.find("beta", attempt.id()).orElseThrow().results()).isEmpty();
    }

    @Test
    void aResultCountsOnlyForTheInstancesItsCommandWasSentTo() {
        Target stranger = new Target("i-0cccccccccccccccc");
        runner.printed("cmd-1", stranger, "deployed", 0, NEW, "switched");
        assertThat(results().record("cmd-1", stranger).note()).contains("is not one of command cmd-1's instances");
        assertThat(ledger.find("beta", attempt.id()).orElseThrow().results()).isEmpty();
    }

    @Test
    void aCrashBetweenSendCommandAndTheInProgressWriteIsAdoptedByTheResult() {
        Attempt crashed = Attempt.pending("beta", OLD, 1, List.of(A.instanceId()), null, "", clock.instant());
        ledger.releaseLock("beta", attempt.id());
        ledger.claim(crashed, clock.instant(), clock.instant().minusSeconds(1));
        String id = runner.sendRedeploy(crashed, List.of(A));
        fleet.observations.put(A, DriftCheckTest.serving(A, OLD));
        runner.printed(id, A, "deployed", 0, OLD, "switched");

        Report r = results().record(id, A).published().orElseThrow();

        assertThat(r.outcome()).isEqualTo(Outcome.REMEDIATED);
        Attempt adopted = ledger.find("beta", crashed.id()).orElseThrow();
        assertThat(adopted.state()).isEqualTo(AttemptState.SUCCEEDED);
        assertThat(adopted.commands()).containsKey(id);
    }

    @Test
    void transientFailuresEndTheAttemptRetryable() {
        runner.status("cmd-1", A, "Undeliverable", "Undeliverable");
        runner.printed("cmd-1", B, "deployed", 0, NEW, "switched");
        results().record("cmd-1", A);
        Report r = results().record("cmd-1", B).published().orElseThrow();
        assertThat(r.outcome()).isEqualTo(Outcome.UNREACHABLE);
        assertThat(r.verdictReason()).contains("Undeliverable").contains("transient");
        assertThat(ledger.find("beta", attempt.id()).orElseThrow().state()).isEqualTo(AttemptState.RETRYABLE);
    }

    @Test
    void reconcileReadsTheResultsOfAnAttemptWhoseEventsWereLost() {
        runner.printed("cmd-1", A, "deployed", 0, NEW, "switched");
        runner.printed("cmd-1", B, "deployed", 0, NEW, "switched");
        assertThat(results().reconcile(Duration.ofMinutes(15))).isEmpty();
        clock.advance(Duration.ofMinutes(20));
        assertThat(results().reconcile(Duration.ofMinutes(15))).extracting(Report::outcome).containsExactly(Outcome.REMEDIATED);
        assertThat(results().reconcile(Duration.ofMinutes(15))).isEmpty();
    }

    @Test
    void reconcileTimesOutWhatSsmNeverFinished() {
        runner.printed("cmd-1", A, "deployed", 0, NEW, "switched");
        runner.status("cmd-1", B, "InProgress", null);
        clock.advance(Duration.ofMinutes(20));
        assertThat(results().reconcile(Duration.ofMinutes(15))).singleElement().satisfies(r -> {
            assertThat(r.outcome()).isEqualTo(Outcome.TIMED_OUT);
            assertThat(r.verdictReason()).startsWith(B.instanceId());
        });
    }

    @Test
    void reconcileEndsAClaimThatWasNeverSentRetryable() {
        Attempt lost = Attempt.pending("beta", OLD, 1, List.of(A.instanceId()), null, "", clock.instant());
        ledger.releaseLock("beta", attempt.id());
        ledger.claim(lost, clock.instant(), clock.instant().minusSeconds(1));
        clock.advance(Duration.ofMinutes(1));

        List<Report> reports = results().reconcile(Duration.ofMinutes(15));

        assertThat(reports).singleElement().satisfies(r -> {
            assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
            assertThat(r.verdictReason()).contains("never sent");
        });
        assertThat(ledger.find("beta", lost.id()).orElseThrow().state()).isEqualTo(AttemptState.RETRYABLE);
    }

    @Test
    void theWorstResultDecidesTheState() {
        Instant t = Instant.EPOCH;
        Attempt a = new Attempt("beta", NEW, 1, AttemptState.IN_PROGRESS, Map.of("c", List.of("i-1", "i-2")),
                List.of("i-1", "i-2"), null, "", t, t, Map.of("i-1", new InstanceResult(Outcome.REMEDIATED, false, "ok"),
                "i-2", new InstanceResult(Outcome.FAILED, true, "fetch")), null);
        assertThat(a.complete()).isTrue();
        assertThat(a.finalState()).isEqualTo(AttemptState.RETRYABLE);
        assertThat(a.worst().map(Map.Entry::getKey)).isEqualTo(Optional.of("i-2"));
    }
}
