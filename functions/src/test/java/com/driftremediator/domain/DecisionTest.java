package com.driftremediator.domain;

import org.junit.jupiter.api.Test;

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

    @Test
    void anAgentTooOldForEnvVarIsSkippedWithTheVersions() {
        Target t = new Target("i-0123456789abcdef0");
        Observation old = new Observation(t, Observation.Reachability.REACHABLE, VerdictTest.OLD, null, null, null, true, "3.2.1");
        Decision d = Decision.decide(STALE, old);
        assertThat(d.action()).isEqualTo(SKIP);
        assertThat(d.reason()).contains("3.2.1").contains("3.3.2746.0");
        Observation current = new Observation(t, Observation.Reachability.REACHABLE, VerdictTest.OLD, null, null, null, true,
                "3.3.2746.0");
        assertThat(Decision.decide(STALE, current).action()).isEqualTo(REDEPLOY);
        assertThat(Observation.olderThan("3.10.1.0", "3.3.2746.0")).isFalse();
        assertThat(Observation.olderThan("3.3.40.0", "3.3.2746.0")).isTrue();
    }

    @Test
    void unknownRevisionOnAReachableInstanceRedeploysBecauseTheDocumentIsANoopWhenCurrent() {
        Verdict unknown = new Verdict(Verdict.Sync.UNKNOWN, Verdict.Health.UNKNOWN, List.of(), "not observable");
        assertThat(Decision.decide(unknown, null).action()).isEqualTo(REDEPLOY);
    }
}
