package com.driftremediator.domain;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static com.driftremediator.domain.Verdict.Reason.CODE_STALE;
import static com.driftremediator.domain.Verdict.Reason.PROCESS_STALE;
import static com.driftremediator.domain.Verdict.Reason.SERVED_STALE;
import static org.assertj.core.api.Assertions.assertThat;

class VerdictTest {
    static final Revision OLD = Revision.of("3f2a1c9" + "0".repeat(32) + "1");
    static final Revision NEW = Revision.of("194af44" + "0".repeat(32) + "2");
    static final Target T = new Target("i-0123456789abcdef0");
    static final Instant BOOT = Instant.parse("2026-11-20T09:12:00Z");
    static final Instant SWITCH = Instant.parse("2026-11-26T14:03:00Z");

    static Observation seen(Revision onDisk, Revision served, Instant started, Instant switched, Boolean healthy) {
        return new Observation(T, Observation.Reachability.REACHABLE, onDisk, served, started, switched, healthy);
    }

    @Test
    void oldCodeOnDiskAndServedIsCodeAndServedStale() {
        Verdict v = Verdict.of(NEW, seen(OLD, OLD, BOOT, BOOT, true));
        assertThat(v.sync()).isEqualTo(Verdict.Sync.OUT_OF_SYNC);
        assertThat(v.health()).isEqualTo(Verdict.Health.HEALTHY);
        assertThat(v.reasons()).containsExactly(CODE_STALE, SERVED_STALE);
        assertThat(v.explanation()).contains("3f2a1c9").contains("194af44");
    }

    @Test
    void newCodeOnDiskButProcessStartedBeforeTheSwitchIsProcessStale() {
        Verdict v = Verdict.of(NEW, seen(NEW, OLD, BOOT, SWITCH, true));
        assertThat(v.reasons()).containsExactly(PROCESS_STALE, SERVED_STALE);
    }

    @Test
    void processRestartedAfterTheSwitchAndServingDesiredIsSynced() {
        Verdict v = Verdict.of(NEW, seen(NEW, NEW, SWITCH.plusSeconds(3), SWITCH, true));
        assertThat(v.sync()).isEqualTo(Verdict.Sync.SYNCED);
        assertThat(v.reasons()).isEmpty();
    }

    @Test
    void healthIsIndependentOfSync() {
        Verdict v = Verdict.of(NEW, seen(NEW, NEW, SWITCH.plusSeconds(3), SWITCH, false));
        assertThat(v.sync()).isEqualTo(Verdict.Sync.SYNCED);
        assertThat(v.health()).isEqualTo(Verdict.Health.DEGRADED);
    }

    @Test
    void nothingObservableIsUnknown() {
        Verdict v = Verdict.of(NEW, seen(null, null, null, null, null));
        assertThat(v.sync()).isEqualTo(Verdict.Sync.UNKNOWN);
        assertThat(v.health()).isEqualTo(Verdict.Health.UNKNOWN);
    }

    @Test
    void unreachableCarriesTheCause() {
        Verdict v = Verdict.of(NEW, Observation.unreachable(T, "not managed by SSM"));
        assertThat(v.health()).isEqualTo(Verdict.Health.UNREACHABLE);
        assertThat(v.explanation()).contains("not managed by SSM");
    }
}
