package com.driftremediator.domain;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Instant;
import java.util.List;

import static com.driftremediator.domain.Decision.Action.NOOP;
import static com.driftremediator.domain.Decision.Action.REDEPLOY;
import static com.driftremediator.domain.Decision.Action.SKIP;
import static org.assertj.core.api.Assertions.assertThat;

class DecisionTest {
    static final Revision NEW = VerdictTest.NEW;
    static final Verdict STALE = new Verdict(Verdict.Sync.OUT_OF_SYNC, Verdict.Health.HEALTHY,
            List.of(Verdict.Reason.CODE_STALE), "app directory at 3f2a1c9");
    static final Verdict SYNCED = new Verdict(Verdict.Sync.SYNCED, Verdict.Health.HEALTHY, List.of(), "running");

    static Attempt attempt(AttemptState state) {
        Instant now = Instant.parse("2026-11-26T14:05:00Z");
        return new Attempt("beta", NEW, state, "cmd-1", List.of("i-0123456789abcdef0"), null, "", now, now);
    }

    @Test
    void outOfSyncWithNoHistoryRedeploys() {
        assertThat(Decision.decide(STALE, null).action()).isEqualTo(REDEPLOY);
    }

    @Test
    void syncedAndHealthyIsNoop() {
        assertThat(Decision.decide(SYNCED, null).action()).isEqualTo(NOOP);
    }

    @Test
    void unreachableIsSkippedNotRetriedBlindly() {
        Verdict unreachable = Verdict.of(NEW, Observation.unreachable(new Target("i-0123456789abcdef0"), "agent stopped"));
        Decision d = Decision.decide(unreachable, null);
        assertThat(d.action()).isEqualTo(SKIP);
        assertThat(d.reason()).contains("agent stopped");
    }

    @ParameterizedTest
    @EnumSource(value = AttemptState.class, names = {"FAILED", "ROLLED_BACK", "TIMED_OUT"})
    void aRevisionThatFailedIsNotRetriedAutomatically(AttemptState state) {
        Decision d = Decision.decide(STALE, attempt(state));
        assertThat(d.action()).isEqualTo(SKIP);
        assertThat(d.reason()).contains("not retried");
    }

    @ParameterizedTest
    @EnumSource(value = AttemptState.class, names = {"PENDING", "IN_PROGRESS"})
    void anAttemptUnderWayIsNotDuplicated(AttemptState state) {
        assertThat(Decision.decide(STALE, attempt(state)).action()).isEqualTo(SKIP);
    }

    @Test
    void unknownRevisionOnAReachableInstanceRedeploysBecauseTheDocumentIsANoopWhenCurrent() {
        Verdict unknown = new Verdict(Verdict.Sync.UNKNOWN, Verdict.Health.UNKNOWN, List.of(), "not observable");
        assertThat(Decision.decide(unknown, null).action()).isEqualTo(REDEPLOY);
    }

    @Test
    void staleAgainAfterASuccessfulAttemptRedeploys() {
        assertThat(Decision.decide(STALE, attempt(AttemptState.SUCCEEDED)).action()).isEqualTo(REDEPLOY);
    }
}
