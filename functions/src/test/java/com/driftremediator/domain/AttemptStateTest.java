package com.driftremediator.domain;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AttemptStateTest {
    @Test
    void pendingGoesToInProgressSupersededOrEndsUnsent() {
        assertThat(AttemptState.PENDING.next()).containsExactlyInAnyOrder(AttemptState.IN_PROGRESS,
                AttemptState.SUPERSEDED, AttemptState.FAILED, AttemptState.RETRYABLE);
    }

    @Test
    void inProgressEndsInOneOfTheResultStates() {
        assertThat(AttemptState.IN_PROGRESS.next()).containsExactlyInAnyOrder(AttemptState.SUCCEEDED,
                AttemptState.FAILED, AttemptState.ROLLED_BACK, AttemptState.TIMED_OUT, AttemptState.RETRYABLE);
    }

    @Test
    void terminalStatesGoNowhere() {
        for (AttemptState s : List.of(AttemptState.SUCCEEDED, AttemptState.FAILED, AttemptState.ROLLED_BACK,
                AttemptState.TIMED_OUT, AttemptState.RETRYABLE, AttemptState.SUPERSEDED)) {
            assertThat(s.terminal()).as(s.name()).isTrue();
        }
    }

    @Test
    void onlyLastingFailuresBlockAndOnlyTransientOnesAreRetried() {
        assertThat(List.of(AttemptState.values())).filteredOn(AttemptState::blocksRedeploy)
                .containsExactlyInAnyOrder(AttemptState.FAILED, AttemptState.ROLLED_BACK);
        assertThat(List.of(AttemptState.values())).filteredOn(AttemptState::transientFailure)
                .containsExactlyInAnyOrder(AttemptState.RETRYABLE, AttemptState.TIMED_OUT);
    }

    @Test
    void anIllegalTransitionThrows() {
        Attempt done = Attempt.pending("beta", VerdictTest.NEW, 1, List.of(), null, "", Instant.EPOCH)
                .moveTo(AttemptState.IN_PROGRESS, "", Instant.EPOCH).moveTo(AttemptState.SUCCEEDED, "", Instant.EPOCH);
        assertThatThrownBy(() -> done.moveTo(AttemptState.IN_PROGRESS, "again", Instant.EPOCH))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theAttemptIdAndItsCommentRoundTrip() {
        Attempt a = Attempt.pending("prod", VerdictTest.NEW, 12, List.of(), null, "", Instant.EPOCH);
        AttemptComment c = AttemptComment.of(a);
        assertThat(c.text()).hasSizeLessThanOrEqualTo(100);
        assertThat(AttemptComment.parse(c.text())).contains(new AttemptComment("prod", VerdictTest.NEW.sha() + "#12"));
        assertThat(AttemptComment.parse("drift-remediator: redeploy 194af44 (beta)")).isEmpty();
        assertThat(AttemptComment.parse(null)).isEmpty();
        String longest = AttemptComment.of(Attempt.pending("e".repeat(32), VerdictTest.NEW, 999999, List.of(), null, "",
                Instant.EPOCH)).text();
        assertThat(longest).hasSizeLessThanOrEqualTo(100);
    }
}
