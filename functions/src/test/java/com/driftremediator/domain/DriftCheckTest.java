package com.driftremediator.domain;

import com.driftremediator.local.InMemoryLedger;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DriftCheckTest {
    static final Revision OLD = VerdictTest.OLD;
    static final Revision NEW = VerdictTest.NEW;
    static final Target A = new Target("i-0aaaaaaaaaaaaaaaa");
    static final Target B = new Target("i-0bbbbbbbbbbbbbbbb");
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T14:05:00Z"), ZoneOffset.UTC);

    final Map<Target, Observation> observations = new HashMap<>();
    final FakeRunner runner = new FakeRunner();
    final InMemoryLedger ledger = new InMemoryLedger();
    final List<Report> published = new CopyOnWriteArrayList<>();
    Optional<DesiredRevision> configured = Optional.empty();

    final Fleet fleet = new Fleet() {
        public List<Target> targets() {
            return new ArrayList<>(observations.keySet());
        }

        public Observation observe(Target t) {
            return observations.get(t);
        }
    };

    DriftCheck check() {
        return new DriftCheck("beta", "streamr-p2p-beta", fleet, () -> configured, runner, ledger, published::add, CLOCK);
    }

    static Observation serving(Target t, Revision r) {
        return new Observation(t, Observation.Reachability.REACHABLE, r, r, VerdictTest.BOOT, VerdictTest.BOOT, true);
    }

    @Test
    void staleTargetsAreRedeployedInOneCommandAndTheAttemptIsInProgress() {
        observations.put(A, serving(A, OLD));
        observations.put(B, serving(B, OLD));
        CheckResult r = check().run(new Trigger(Trigger.Kind.STACK_COMPLETE, NEW, "UPDATE_COMPLETE"));
        assertThat(r.commandId()).isEqualTo("cmd-1");
        assertThat(runner.sent).hasSize(1);
        assertThat(runner.sent.get(0)).containsExactlyInAnyOrder(A, B);
        Attempt a = ledger.find("beta", NEW).orElseThrow();
        assertThat(a.state()).isEqualTo(AttemptState.IN_PROGRESS);
        assertThat(a.previous()).isEqualTo(OLD);
        assertThat(published).extracting(Report::outcome).containsExactly(Outcome.STARTED);
        assertThat(r.desired().origin()).isEqualTo(DesiredRevision.Origin.EVENT);
    }

    @Test
    void theSameEventTwiceSendsOneCommand() {
        observations.put(A, serving(A, OLD));
        Trigger t = new Trigger(Trigger.Kind.STACK_COMPLETE, NEW, "UPDATE_COMPLETE");
        check().run(t);
        CheckResult second = check().run(t);
        assertThat(runner.sent).hasSize(1);
        assertThat(second.commandId()).isNull();
        assertThat(second.targets().get(0).decision().action()).isEqualTo(Decision.Action.SKIP);
    }

    @Test
    void withoutAnEventRevisionTheConfiguredSourceIsUsedAndNamed() {
        observations.put(A, serving(A, OLD));
        configured = Optional.of(new DesiredRevision(NEW, DesiredRevision.Origin.STACK_OUTPUT, "DesiredRevision"));
        CheckResult r = check().run(new Trigger(Trigger.Kind.SCHEDULE, null, null));
        assertThat(r.desired().describe()).isEqualTo("stack output DesiredRevision");
        assertThat(runner.sent).hasSize(1);
    }

    @Test
    void noDesiredRevisionAnywhereIsIgnoredWithAReason() {
        observations.put(A, serving(A, OLD));
        CheckResult r = check().run(new Trigger(Trigger.Kind.SCHEDULE, null, null));
        assertThat(r.ignored()).contains("no source");
        assertThat(runner.sent).isEmpty();
    }

    @Test
    void inSyncTargetsSendNothing() {
        observations.put(A, serving(A, NEW));
        CheckResult r = check().run(new Trigger(Trigger.Kind.MANUAL, NEW, null));
        assertThat(r.targets().get(0).decision().action()).isEqualTo(Decision.Action.NOOP);
        assertThat(runner.sent).isEmpty();
        assertThat(ledger.find("beta", NEW)).isEmpty();
    }

    @Test
    void anotherRevisionInProgressHoldsTheLock() {
        observations.put(A, serving(A, OLD));
        Revision other = Revision.of("aaaaaaa" + "0".repeat(32) + "3");
        Instant t = CLOCK.instant();
        ledger.claim(new Attempt("beta", other, AttemptState.PENDING, null, List.of(A.instanceId()), null, "", t, t));
        ledger.transition(new Attempt("beta", other, AttemptState.IN_PROGRESS, "cmd-0", List.of(A.instanceId()), null, "",
                t, t), AttemptState.PENDING);
        CheckResult r = check().run(new Trigger(Trigger.Kind.GIT_PUSH, NEW, null));
        assertThat(r.targets().get(0).decision().reason()).contains("lock");
        assertThat(runner.sent).isEmpty();
    }

    @Test
    void aLedgerWriteFailingAfterTheSendNeverLeadsToASecondSend() {
        observations.put(A, serving(A, OLD));
        Trigger t = new Trigger(Trigger.Kind.STACK_COMPLETE, NEW, "UPDATE_COMPLETE");
        boolean[] failed = {false};
        Ledger flaky = (Ledger) java.lang.reflect.Proxy.newProxyInstance(Ledger.class.getClassLoader(),
                new Class<?>[]{Ledger.class}, (proxy, method, args) -> {
                    if (method.getName().equals("transition") && !failed[0]) {
                        failed[0] = true;
                        throw new IllegalStateException("DynamoDB unavailable");
                    }
                    try {
                        return method.invoke(ledger, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        DriftCheck check = new DriftCheck("beta", "streamr-p2p-beta", fleet, () -> configured, runner, flaky,
                published::add, CLOCK);

        assertThatThrownBy(() -> check.run(t)).hasMessageContaining("DynamoDB unavailable");
        CheckResult retried = check.run(t); // Lambda's asynchronous retry of the same event

        assertThat(runner.sent).hasSize(1);
        assertThat(retried.commandId()).isNull();
        assertThat(retried.targets().get(0).decision().reason()).contains("already PENDING");
        assertThat(ledger.find("beta", NEW).orElseThrow().state())
                .as("left PENDING; the scheduled reconcile ends it FAILED").isEqualTo(AttemptState.PENDING);
    }

    @Test
    void aFailedSendReleasesTheClaimSoALaterCheckCanRetry() {
        observations.put(A, serving(A, OLD));
        runner.failNext = true;
        Trigger t = new Trigger(Trigger.Kind.STACK_COMPLETE, NEW, null);
        assertThatThrownBy(() -> check().run(t)).hasMessageContaining("Rate exceeded");
        assertThat(ledger.find("beta", NEW)).isEmpty();
        assertThat(published).extracting(Report::outcome).containsExactly(Outcome.FAILED);
        check().run(t);
        assertThat(runner.sent).hasSize(1);
    }

    @Test
    void aNewerRevisionSupersedesAnOlderPendingOne() {
        observations.put(A, serving(A, OLD));
        Revision older = Revision.of("bbbbbbb" + "0".repeat(32) + "4");
        Instant t = CLOCK.instant().minusSeconds(60);
        ledger.claim(new Attempt("beta", older, AttemptState.PENDING, null, List.of(), null, "", t, t));
        check().run(new Trigger(Trigger.Kind.GIT_PUSH, NEW, null));
        assertThat(ledger.find("beta", older).orElseThrow().state()).isEqualTo(AttemptState.SUPERSEDED);
    }

    static final class FakeRunner implements CommandRunner {
        final List<List<Target>> sent = new CopyOnWriteArrayList<>();
        final Map<String, CommandResult> results = new HashMap<>();
        boolean failNext;

        public String sendRedeploy(Revision revision, List<Target> targets) {
            if (failNext) {
                failNext = false;
                throw new IllegalStateException("Rate exceeded");
            }
            sent.add(List.copyOf(targets));
            return "cmd-" + sent.size();
        }

        public CommandResult result(String commandId, Target target) {
            return results.get(commandId + "/" + target.instanceId());
        }
    }
}
