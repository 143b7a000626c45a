package com.driftremediator.domain;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class BranchHeadTest {
    static final Revision A = Revision.of("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    static final Revision B = Revision.of("bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
    static final Revision C = Revision.of("cccccccccccccccccccccccccccccccccccccccc");
    static final Instant T = Instant.parse("2026-11-26T14:00:00Z");

    final Fakes.Heads heads = new Fakes.Heads();
    final BranchAuthority authority = new BranchAuthority("beta", "main", heads);

    static Push push(Revision before, Revision after, Instant at, boolean forced) {
        return new Push(before, after, at, forced, "push");
    }

    Revision desired() {
        return authority.desired().orElseThrow().revision();
    }

    @Test
    void aPushMovesTheHeadForwardAlongTheChain() {
        authority.offer(push(null, A, T, false));
        authority.offer(push(A, B, T.plusSeconds(60), false));
        assertThat(desired()).isEqualTo(B);
        assertThat(authority.desired().orElseThrow().origin()).isEqualTo(DesiredRevision.Origin.BRANCH_HEAD);
    }

    @Test
    void aLateDeliveryOfAnOlderPushNeverMovesTheHeadBackwards() {
        authority.offer(push(A, B, T.plusSeconds(60), false));
        String note = authority.offer(push(null, A, T, false)); // A is B's before, delivered late
        assertThat(desired()).isEqualTo(B);
        assertThat(note).contains("late delivery");
    }

    @Test
    void aRepeatedDeliveryChangesNothing() {
        authority.offer(push(A, B, T, false));
        long sequence = heads.heads.get("beta").sequence();
        assertThat(authority.offer(push(A, B, T, false))).contains("already at");
        assertThat(heads.heads.get("beta").sequence()).isEqualTo(sequence);
    }

    @Test
    void aForcedPushToAnOlderCommitIsFollowedAsARollback() {
        authority.offer(push(A, B, T, false));
        String note = authority.offer(push(B, A, T.plusSeconds(30), true));
        assertThat(desired()).isEqualTo(A);
        assertThat(note).contains("deliberate rollback");
    }

    @Test
    void withinOneSecondOnlyThePushThatChainsOnTheHeadMovesIt() {
        authority.offer(push(A, B, T, false));
        authority.offer(push(C, A, T, false)); // same second, does not follow B
        assertThat(desired()).isEqualTo(B);
        authority.offer(push(B, C, T, false));
        assertThat(desired()).isEqualTo(C);
    }

    @Test
    void withoutAPushTimeOnlyTheChainCounts() {
        authority.offer(push(null, A, null, false));
        authority.offer(push(C, B, null, false));
        assertThat(desired()).isEqualTo(A);
        authority.offer(push(A, B, null, false));
        assertThat(desired()).isEqualTo(B);
    }

    @Test
    void aConcurrentWriterIsReadAgainBeforeMoving() {
        authority.offer(push(null, A, T, false));
        heads.conflictsToInject = 1;
        authority.offer(push(A, B, T.plusSeconds(5), false));
        assertThat(desired()).isEqualTo(B);
        assertThat(heads.heads.get("beta").sequence()).isEqualTo(2);
    }

    @Test
    void theRuleAloneOnAnEmptyHead() {
        BranchHead.Advance a = BranchHead.advance(Optional.empty(), push(null, A, T, false));
        assertThat(a.move()).isEqualTo(BranchHead.Move.MOVED);
        assertThat(a.next().sequence()).isEqualTo(1);
    }

    @Test
    void otherAuthoritiesOnlyWakeTheCheck() {
        RevisionSource stack = Optional::empty;
        assertThat(stack.offer(push(A, B, T, false))).contains("wakes the check");
    }
}
