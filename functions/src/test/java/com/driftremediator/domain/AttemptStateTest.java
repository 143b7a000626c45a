package com.driftremediator.domain;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AttemptStateTest {
    @Test
    void pendingGoesToInProgressOrSuperseded() {
        assertThat(AttemptState.PENDING.canMoveTo(AttemptState.IN_PROGRESS)).isTrue();
        assertThat(AttemptState.PENDING.canMoveTo(AttemptState.SUPERSEDED)).isTrue();
        assertThat(AttemptState.PENDING.canMoveTo(AttemptState.SUCCEEDED)).isFalse();
    }

    @Test
    void inProgressEndsInOneOfTheResultStates() {
        assertThat(AttemptState.IN_PROGRESS.next()).containsExactlyInAnyOrder(AttemptState.SUCCEEDED,
                AttemptState.FAILED, AttemptState.ROLLED_BACK, AttemptState.TIMED_OUT);
    }

    @Test
    void terminalStatesGoNowhere() {
        for (AttemptState s : List.of(AttemptState.SUCCEEDED, AttemptState.FAILED, AttemptState.ROLLED_BACK,
                AttemptState.TIMED_OUT, AttemptState.SUPERSEDED)) {
            assertThat(s.terminal()).as(s.name()).isTrue();
        }
    }

    @Test
    void anIllegalTransitionThrows() {
        Instant t = Instant.EPOCH;
        Attempt done = new Attempt("beta", VerdictTest.NEW, AttemptState.SUCCEEDED, "c", List.of(), null, "", t, t);
        assertThatThrownBy(() -> done.moveTo(AttemptState.IN_PROGRESS, "again", t)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theFinalStateIsTheWorstTargetOutcome() {
        Instant t = Instant.EPOCH;
        Attempt a = new Attempt("beta", VerdictTest.NEW, AttemptState.IN_PROGRESS, "c", List.of("i-1", "i-2"), null, "",
                t, t, Map.of("i-1", Outcome.REMEDIATED, "i-2", Outcome.ROLLED_BACK));
        assertThat(a.complete()).isTrue();
        assertThat(a.finalState()).isEqualTo(AttemptState.ROLLED_BACK);
        Attempt half = new Attempt("beta", VerdictTest.NEW, AttemptState.IN_PROGRESS, "c", List.of("i-1", "i-2"), null,
                "", t, t, Map.of("i-1", Outcome.REMEDIATED));
        assertThat(half.complete()).isFalse();
    }
}
