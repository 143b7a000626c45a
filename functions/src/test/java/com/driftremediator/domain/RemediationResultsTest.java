package com.driftremediator.domain;

import com.driftremediator.local.InMemoryLedger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

class RemediationResultsTest {
    static final Revision OLD = VerdictTest.OLD;
    static final Revision NEW = VerdictTest.NEW;
    static final Target A = DriftCheckTest.A;

    final DriftCheckTest.FakeRunner runner = new DriftCheckTest.FakeRunner();
    final InMemoryLedger ledger = new InMemoryLedger();
    final List<Report> published = new CopyOnWriteArrayList<>();
    final Map<Target, Observation> after = new HashMap<>();
    final Fleet fleet = new Fleet() {
        public List<Target> targets() {
            return List.of(A);
        }

        public Observation observe(Target t) {
            return after.get(t);
        }
    };

    RemediationResults results() {
        return new RemediationResults("beta", "streamr-p2p-beta", fleet, runner, ledger, published::add,
                (instances, stack, desired) -> instances + " of " + stack + ": STALE_SINCE_BOOT", DriftCheckTest.CLOCK);
    }

    @BeforeEach
    void anAttemptInProgress() {
        Instant t = DriftCheckTest.CLOCK.instant().minusSeconds(30);
        ledger.claim(new Attempt("beta", NEW, AttemptState.PENDING, null, List.of(A.instanceId()), OLD, "stale", t, t));
        ledger.transition(new Attempt("beta", NEW, AttemptState.IN_PROGRESS, "cmd-1", List.of(A.instanceId()), OLD,
                "stale", t, t), AttemptState.PENDING);
    }

    void documentPrinted(String result, Revision serving) {
        runner.results.put("cmd-1/" + A.instanceId(), new CommandRunner.CommandResult(NEW,
                result.equals("deployed") ? "Success" : "Failed", null,
                "{\"result\":\"" + result + "\",\"revision\":\"" + NEW.sha() + "\",\"serving\":\"" + serving.sha()
                        + "\",\"message\":\"" + result + "\"}\nlog...", ""));
    }

    @Test
    void aVerifiedDeploySucceedsAndIsPublishedOnce() {
        documentPrinted("deployed", NEW);
        after.put(A, DriftCheckTest.serving(A, NEW));
        assertThat(results().record("cmd-1", A)).get().extracting(Report::outcome).isEqualTo(Outcome.REMEDIATED);
        assertThat(results().record("cmd-1", A)).isEmpty();
        assertThat(ledger.find("beta", NEW).orElseThrow().state()).isEqualTo(AttemptState.SUCCEEDED);
        assertThat(published).hasSize(1);
        assertThat(published.get(0).previous()).isEqualTo(OLD);
        assertThat(published.get(0).diagnosis()).as("successes carry no diagnosis").isNull();
    }

    @Test
    void aDeployThatStillServesOldCodeIsAFailure() {
        documentPrinted("deployed", NEW);
        after.put(A, DriftCheckTest.serving(A, OLD));
        Report r = results().record("cmd-1", A).orElseThrow();
        assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(r.verdictReason()).contains("serves " + OLD.shortSha());
        assertThat(r.diagnosis()).contains("STALE_SINCE_BOOT");
    }

    @Test
    void aRollbackIsRecordedAsRolledBack() {
        documentPrinted("rolled_back", OLD);
        after.put(A, DriftCheckTest.serving(A, OLD));
        Report r = results().record("cmd-1", A).orElseThrow();
        assertThat(r.outcome()).isEqualTo(Outcome.ROLLED_BACK);
        assertThat(r.diagnosis()).isEqualTo("[" + A.instanceId() + "] of streamr-p2p-beta: STALE_SINCE_BOOT");
        assertThat(ledger.find("beta", NEW).orElseThrow().state()).isEqualTo(AttemptState.ROLLED_BACK);
    }

    @Test
    void noSummaryFallsBackToTheSsmStatus() {
        runner.results.put("cmd-1/" + A.instanceId(),
                new CommandRunner.CommandResult(NEW, "TimedOut", "ExecutionTimedOut", "", ""));
        assertThat(results().record("cmd-1", A).orElseThrow().outcome()).isEqualTo(Outcome.TIMED_OUT);
    }

    @Test
    void reconcileTimesOutAttemptsStuckInProgress() {
        assertThat(results().reconcile(Duration.ofMinutes(15))).isEmpty();
        assertThat(results().reconcile(Duration.ofSeconds(10))).extracting(Report::outcome)
                .containsExactly(Outcome.TIMED_OUT);
        assertThat(results().reconcile(Duration.ofSeconds(10))).isEmpty();
    }

    @Test
    void reconcileFailsAClaimNeverRecordedAsSentAndNeverRetriesIt() {
        Instant t = DriftCheckTest.CLOCK.instant().minusSeconds(30);
        ledger.claim(new Attempt("beta", OLD, AttemptState.PENDING, null, List.of(A.instanceId()), null, "stale", t, t));

        List<Report> reports = results().reconcile(Duration.ofSeconds(10));

        assertThat(reports).extracting(Report::outcome).containsExactlyInAnyOrder(Outcome.TIMED_OUT, Outcome.FAILED);
        assertThat(reports).filteredOn(r -> r.outcome() == Outcome.FAILED).singleElement()
                .satisfies(r -> assertThat(r.verdictReason()).contains("never recorded as sent"));
        assertThat(ledger.find("beta", OLD).orElseThrow().state()).isEqualTo(AttemptState.FAILED);
        assertThat(ledger.find("beta", OLD).orElseThrow().state().failed()).isTrue();
        assertThat(results().reconcile(Duration.ofSeconds(10))).isEmpty();
    }
}
