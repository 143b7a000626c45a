package com.driftremediator.domain;

import com.driftremediator.local.InMemoryLedger;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DriftCheckTest {
    static final Revision OLD = VerdictTest.OLD;
    static final Revision NEW = VerdictTest.NEW;
    static final Revision NEWER = Revision.of("cccccccccccccccccccccccccccccccccccccccc");
    static final Target A = new Target("i-0aaaaaaaaaaaaaaaa");
    static final Target B = new Target("i-0bbbbbbbbbbbbbbbb");
    static final Instant START = Instant.parse("2026-11-26T14:05:00Z");
    static final DriftCheck.Policy POLICY = new DriftCheck.Policy(
            new RetryPolicy(3, Duration.ofMinutes(2), Duration.ofMinutes(30)), Duration.ofMinutes(75));
    static final Trigger SCHEDULE = new Trigger(Trigger.Kind.SCHEDULE, null, "schedule");

    final Fakes.MutableClock clock = new Fakes.MutableClock(START);
    final Fakes.FakeFleet fleet = new Fakes.FakeFleet();
    final Fakes.FakeRunner runner = new Fakes.FakeRunner();
    final InMemoryLedger ledger = new InMemoryLedger();
    final List<Report> published = new CopyOnWriteArrayList<>();
    Optional<DesiredRevision> authority = Optional.of(new DesiredRevision(NEW, DesiredRevision.Origin.STACK_OUTPUT, "Revision"));

    DriftCheck check() {
        return check(ledger);
    }

    DriftCheck check(Ledger l) {
        return new DriftCheck("beta", "streamr-p2p-beta", fleet, () -> authority, runner, l, published::add, clock, POLICY);
    }

    RemediationResults results() {
        return new RemediationResults("beta", "streamr-p2p-beta", fleet, runner, ledger, published::add,
                (instances, stack, desired) -> "diagnosis", clock, POLICY);
    }

    static Observation serving(Target t, Revision r) {
        return new Observation(t, Observation.Reachability.REACHABLE, r, r, VerdictTest.BOOT, VerdictTest.BOOT, true);
    }

    void running(Revision r, Target... targets) {
        for (Target t : targets) fleet.observations.put(t, serving(t, r));
    }

    @Test
    void staleTargetsAreRedeployedInOneCommandAndTheAttemptIsInProgressUnderTheLock() {
        running(OLD, A, B);
        CheckResult r = check().run(new Trigger(Trigger.Kind.STACK_COMPLETE, null, "UPDATE_COMPLETE"));
        assertThat(r.commandIds()).containsExactly("cmd-1");
        assertThat(runner.sent).containsExactly(List.of(A, B));
        Attempt a = ledger.find("beta", r.attemptId()).orElseThrow();
        assertThat(a.state()).isEqualTo(AttemptState.IN_PROGRESS);
        assertThat(a.number()).isEqualTo(1);
        assertThat(a.commands()).containsEntry("cmd-1", List.of(A.instanceId(), B.instanceId()));
        assertThat(a.previous()).isEqualTo(OLD);
        assertThat(runner.comments.get("cmd-1").text()).isEqualTo("drift-remediator:beta:" + NEW.sha() + "#1");
        EnvironmentLock lock = ledger.lock("beta").orElseThrow();
        assertThat(lock.attemptId()).isEqualTo(a.id());
        assertThat(lock.expiresAt()).as("held for the command's whole timeout once sent").isEqualTo(START.plus(Duration.ofMinutes(75)));
        assertThat(published).extracting(Report::outcome).containsExactly(Outcome.STARTED);
        assertThat(r.targets()).extracting(CheckResult.TargetResult::commandId).containsExactly("cmd-1", "cmd-1");
    }

    @Test
    void anEventsRevisionNeverOverridesTheAuthority() {
        running(OLD, A);
        CheckResult r = check().run(new Trigger(Trigger.Kind.GIT_PUSH, OLD, "late push of an old commit",
                new Push(null, OLD, START.minusSeconds(3600), false, "late push")));
        assertThat(runner.revisions).containsExactly(NEW);
        assertThat(r.desired().revision()).isEqualTo(NEW);
        assertThat(r.note()).contains("the event named " + OLD.shortSha()).contains("names " + NEW.shortSha());
    }

    @Test
    void theSameEventTwiceSendsOneCommand() {
        running(OLD, A);
        Trigger t = new Trigger(Trigger.Kind.STACK_COMPLETE, null, "UPDATE_COMPLETE");
        check().run(t);
        CheckResult second = check().run(t);
        assertThat(runner.sent).hasSize(1);
        assertThat(second.commandId()).isNull();
        assertThat(second.targets().get(0).decision().reason()).contains("of this revision is under way");
    }

    @Test
    void noDesiredRevisionIsIgnoredWithAReason() {
        running(OLD, A);
        authority = Optional.empty();
        CheckResult r = check().run(SCHEDULE);
        assertThat(r.ignored()).contains("names no desired revision");
        assertThat(runner.sent).isEmpty();
    }

    @Test
    void inSyncTargetsSendNothingAndClaimNothing() {
        running(NEW, A);
        CheckResult r = check().run(SCHEDULE);
        assertThat(r.targets().get(0).decision().action()).isEqualTo(Decision.Action.NOOP);
        assertThat(runner.sent).isEmpty();
        assertThat(ledger.attempts("beta")).isEmpty();
        assertThat(ledger.lock("beta")).isEmpty();
    }

    @Test
    void anotherRevisionInFlightHoldsTheEnvironmentLock() {
        running(OLD, A);
        authority = Optional.of(new DesiredRevision(NEWER, DesiredRevision.Origin.STACK_OUTPUT, "Revision"));
        check().run(SCHEDULE);
        authority = Optional.of(new DesiredRevision(NEW, DesiredRevision.Origin.STACK_OUTPUT, "Revision"));
        CheckResult r = check().run(SCHEDULE);
        assertThat(r.targets().get(0).decision().reason()).contains("another remediation holds the environment lock");
        assertThat(runner.sent).hasSize(1);
    }

    @Test
    void twoChecksThatBothObservedBeforeEitherClaimedSendOnce() {
        running(OLD, A);
        // the second check's claim races the first: the lock is in the claim's own transaction
        Ledger racing = proxy((m, args) -> {
            if (m.equals("claim") && ledger.lock("beta").isEmpty()) {
                ledger.claim(Attempt.pending("beta", NEWER, 1, List.of(A.instanceId()), null, "other", START),
                        START.plusSeconds(90), START);
            }
            return null;
        });
        CheckResult r = check(racing).run(SCHEDULE);
        assertThat(runner.sent).isEmpty();
        assertThat(r.targets().get(0).decision().reason()).contains("took the environment lock first");
    }

    @Test
    void aCrashBetweenSendCommandAndTheLedgerWriteIsAdoptedNotResent() {
        running(OLD, A);
        boolean[] failed = {false};
        Ledger crashing = proxy((m, args) -> {
            if (m.equals("transition") && !failed[0]) {
                failed[0] = true;
                throw new IllegalStateException("DynamoDB unavailable");
            }
            return null;
        });
        assertThatThrownBy(() -> check(crashing).run(SCHEDULE)).hasMessageContaining("DynamoDB unavailable");
        assertThat(ledger.attempts("beta")).singleElement().extracting(Attempt::state).isEqualTo(AttemptState.PENDING);

        CheckResult retried = check().run(SCHEDULE); // Lambda's retry, seconds later: the claim's lock still holds
        assertThat(retried.commandId()).isNull();

        clock.advance(Duration.ofMinutes(3)); // the claim's lock (deadline + 30 s) has expired
        CheckResult later = check().run(SCHEDULE);
        assertThat(runner.sent).as("never sent twice").hasSize(1);
        Attempt adopted = ledger.attempts("beta").get(0);
        assertThat(adopted.state()).isEqualTo(AttemptState.IN_PROGRESS);
        assertThat(adopted.commands()).containsKey("cmd-1");
        assertThat(later.note()).contains("adopted");
    }

    @Test
    void aLockLeftByAnAttemptThatEndedWithoutFreeingItIsFreedByTheNextCheck() {
        Attempt pending = Attempt.pending("beta", NEW, 1, List.of(A.instanceId()), OLD, "stale", START);
        ledger.claim(pending, START.plusSeconds(90), START);
        Attempt sent = pending.withCommand("cmd-0", List.of(A.instanceId()), START).moveTo(AttemptState.IN_PROGRESS, "sent", START);
        ledger.transition(sent, AttemptState.PENDING);
        ledger.extendLock("beta", sent.id(), START.plus(Duration.ofMinutes(75)));
        // the result handler ends the attempt, then stops before its second write, which frees the lock
        ledger.transition(sent.moveTo(AttemptState.SUCCEEDED, "deployed", START.plusSeconds(60)), AttemptState.IN_PROGRESS);
        clock.advance(Duration.ofMinutes(5));
        running(OLD, A); // replaced since, at the old commit

        CheckResult r = check().run(SCHEDULE);

        assertThat(r.attemptId()).isEqualTo(Attempt.id(NEW, 2));
        assertThat(r.note()).contains("freed the environment lock of attempt " + sent.id() + ", which ended SUCCEEDED");
        assertThat(ledger.lock("beta").orElseThrow().attemptId()).isEqualTo(r.attemptId());
    }

    @Test
    void aLockOfAnAttemptInFlightIsNeverFreedByAnotherCheck() {
        running(OLD, A);
        CheckResult first = check().run(SCHEDULE);
        clock.advance(Duration.ofMinutes(5));
        authority = Optional.of(new DesiredRevision(NEWER, DesiredRevision.Origin.STACK_OUTPUT, "Revision"));

        CheckResult second = check().run(SCHEDULE);

        assertThat(second.commandId()).isNull();
        assertThat(ledger.lock("beta").orElseThrow().attemptId()).isEqualTo(first.attemptId());
        assertThat(runner.sent).hasSize(1);
    }

    @Test
    void aClaimWhoseCheckDiedBeforeSendingFreesItselfAndTheRevisionIsTriedAgain() {
        running(OLD, A);
        ledger.claim(Attempt.pending("beta", NEW, 1, List.of(A.instanceId()), OLD, "stale", START), START.plusSeconds(90), START);
        clock.advance(Duration.ofMinutes(2));
        check().run(SCHEDULE);
        assertThat(ledger.find("beta", Attempt.id(NEW, 1)).orElseThrow().state()).isEqualTo(AttemptState.RETRYABLE);
        assertThat(runner.sent).as("backoff after the transient failure").isEmpty();
        clock.advance(Duration.ofMinutes(2));
        CheckResult r = check().run(SCHEDULE);
        assertThat(r.attemptId()).isEqualTo(Attempt.id(NEW, 2));
        assertThat(runner.sent).hasSize(1);
    }

    @Test
    void aSendThatFailsReleasesTheClaimAndTheLock() {
        running(OLD, A);
        runner.failAtSend = 0;
        assertThatThrownBy(() -> check().run(SCHEDULE)).hasMessageContaining("Rate exceeded");
        assertThat(ledger.attempts("beta")).isEmpty();
        assertThat(ledger.lock("beta")).isEmpty();
        assertThat(published).extracting(Report::outcome).containsExactly(Outcome.FAILED);
        check().run(SCHEDULE);
        assertThat(runner.sent).hasSize(1);
    }

    @Test
    void aLargeFleetGoesInBatchesOfFiftyExplicitIdsEachRecorded() {
        for (int i = 0; i < 120; i++) {
            Target t = new Target(String.format("i-%017x", i + 1));
            fleet.observations.put(t, serving(t, OLD));
        }
        CheckResult r = check().run(SCHEDULE);
        assertThat(runner.sent).extracting(List::size).containsExactly(50, 50, 20);
        Attempt a = ledger.find("beta", r.attemptId()).orElseThrow();
        assertThat(a.commands()).containsOnlyKeys("cmd-1", "cmd-2", "cmd-3");
        assertThat(a.sentInstances()).hasSize(120);
        assertThat(fleet.observeCalls).as("observed together, once").isEqualTo(1);
    }

    @Test
    void aBatchThatFailsAfterOthersWereSentKeepsWhatWasSent() {
        for (int i = 0; i < 60; i++) {
            Target t = new Target(String.format("i-%017x", i + 1));
            fleet.observations.put(t, serving(t, OLD));
        }
        runner.failAtSend = 1;
        CheckResult r = check().run(SCHEDULE);
        Attempt a = ledger.find("beta", r.attemptId()).orElseThrow();
        assertThat(a.sentInstances()).hasSize(50);
        assertThat(r.note()).contains("batch 2 not sent");
        assertThat(r.targets()).filteredOn(t -> t.commandId() == null).hasSize(10)
                .allSatisfy(t -> assertThat(t.decision().action()).isEqualTo(Decision.Action.SKIP));
    }

    @Test
    void theCheckNeverCommandsAnInstanceItDidNotObserveOrCannotReach() {
        running(OLD, A);
        fleet.observations.put(B, Observation.unreachable(B, "agent stopped"));
        check().run(SCHEDULE);
        assertThat(runner.sent).containsExactly(List.of(A));
    }

    @Test
    void anAgentTooOldForEnvVarParametersIsNotCommanded() {
        fleet.observations.put(A, new Observation(A, Observation.Reachability.REACHABLE, OLD, OLD, null, null, true, "3.2.582.0"));
        running(OLD, B);
        CheckResult r = check().run(SCHEDULE);
        assertThat(runner.sent).containsExactly(List.of(B));
        assertThat(r.targets().get(0).decision().reason()).contains("3.2.582.0").contains("3.3.2746.0");
    }

    @Test
    void observationGetsOneDeadlineFromTheBudgetLessTheTimeKeptForSending() {
        running(OLD, A);
        check().run(SCHEDULE, Duration.ofSeconds(120));
        assertThat(fleet.deadlines).containsExactly(START.plusSeconds(110));
    }

    @Test
    void instancesThatDriftAgainAfterASuccessGetANewAttempt() {
        running(OLD, A);
        String first = check().run(SCHEDULE).attemptId();
        runner.printed("cmd-1", A, "deployed", 0, NEW, "switched");
        running(NEW, A);
        results().record("cmd-1", A);
        assertThat(ledger.find("beta", first).orElseThrow().state()).isEqualTo(AttemptState.SUCCEEDED);

        running(OLD, A); // replaced by a new instance that UserData booted at the old commit
        CheckResult again = check().run(SCHEDULE);
        assertThat(again.attemptId()).isEqualTo(Attempt.id(NEW, 2));
        assertThat(runner.sent).hasSize(2);
    }

    @Test
    void aBadReleaseIsNotRedeployedUntilTheAuthorityMovesOrAnOperatorRetries() {
        running(OLD, A);
        check().run(SCHEDULE);
        runner.printed("cmd-1", A, "rolled_back", 6, OLD, "unhealthy after 60 s: rolled back to " + OLD.shortSha());
        Report report = results().record("cmd-1", A).published().orElseThrow();
        assertThat(report.outcome()).isEqualTo(Outcome.ROLLED_BACK);

        clock.advance(Duration.ofHours(2));
        CheckResult blocked = check().run(SCHEDULE);
        assertThat(runner.sent).hasSize(1);
        assertThat(blocked.targets().get(0).decision().reason()).contains("bad release").contains("bin/remediator retry");

        CheckResult retried = check().run(new Trigger(Trigger.Kind.RETRY, null, "operator retry"));
        assertThat(retried.note()).contains("retry of " + NEW.shortSha() + " recorded");
        assertThat(retried.attemptId()).isEqualTo(Attempt.id(NEW, 2));
        assertThat(runner.sent).hasSize(2);
    }

    @Test
    void afterABadReleaseANewRevisionFromTheAuthorityIsDeployed() {
        running(OLD, A);
        check().run(SCHEDULE);
        runner.printed("cmd-1", A, "rolled_back", 6, OLD, "rolled back");
        results().record("cmd-1", A);
        authority = Optional.of(new DesiredRevision(NEWER, DesiredRevision.Origin.STACK_OUTPUT, "Revision"));
        check().run(SCHEDULE);
        assertThat(runner.revisions).containsExactly(NEW, NEWER);
    }

    @Test
    void transientFailuresAreRetriedWithBackoffUpToTheCount() {
        running(OLD, A);
        for (int i = 1; i <= 3; i++) {
            CheckResult r = check().run(SCHEDULE);
            assertThat(r.attemptId()).isEqualTo(Attempt.id(NEW, i));
            runner.printed("cmd-" + i, A, "failed", 4, OLD, "git fetch failed");
            results().record("cmd-" + i, A);
            assertThat(ledger.find("beta", r.attemptId()).orElseThrow().state()).isEqualTo(AttemptState.RETRYABLE);
            CheckResult waiting = check().run(SCHEDULE);
            if (i < 3) assertThat(waiting.targets().get(0).decision().reason()).contains("waits until");
            clock.advance(Duration.ofMinutes(2L << (i - 1)));
        }
        CheckResult gaveUp = check().run(SCHEDULE);
        assertThat(runner.sent).hasSize(3);
        assertThat(gaveUp.targets().get(0).decision().reason()).contains("failed 3 times in a row");
    }

    @Test
    void aLockBusyExitIsTransient() {
        running(OLD, A);
        check().run(SCHEDULE);
        runner.printed("cmd-1", A, "failed", 3, OLD, "another redeploy holds the lock");
        Report r = results().record("cmd-1", A).published().orElseThrow();
        assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(r.verdictReason()).contains("transient");
        assertThat(ledger.lock("beta")).as("released when the attempt ends").isEmpty();
    }

    /** The in-memory ledger, with {@code before} run first on every call (return non-null to stop there). */
    private Ledger proxy(Interceptor before) {
        return (Ledger) Proxy.newProxyInstance(Ledger.class.getClassLoader(), new Class<?>[]{Ledger.class},
                (p, method, args) -> {
                    Object early = before.call(method.getName(), args);
                    if (early != null) return early;
                    try {
                        return method.invoke(ledger, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    interface Interceptor {
        Object call(String method, Object[] args);
    }
}
