package com.driftremediator.aws;

import com.driftremediator.domain.Attempt;
import com.driftremediator.domain.AttemptState;
import com.driftremediator.domain.BranchHead;
import com.driftremediator.domain.InstanceResult;
import com.driftremediator.domain.Ledger;
import com.driftremediator.domain.Outcome;
import com.driftremediator.domain.Revision;
import com.driftremediator.testing.MotoServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import static org.assertj.core.api.Assertions.assertThat;

/** DynamoLedger's transaction and conditions, and branch mode's conditional head, against moto's DynamoDB. */
class DynamoLedgerIT {
    private static final MotoServer MOTO = MotoServer.start();
    private static final Revision A = Revision.of("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    private static final Revision B = Revision.of("bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
    private static final Instant T = Instant.parse("2026-11-26T14:00:00Z");

    private final DynamoDbClient dynamo = MOTO.client(DynamoDbClient.builder());
    private final DynamoLedger ledger = new DynamoLedger(dynamo, "ledger");

    @AfterAll
    static void stop() {
        MOTO.close();
    }

    @BeforeEach
    void table() {
        MOTO.reset();
        dynamo.createTable(r -> r.tableName("ledger").billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("sk").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH), k -> k.attributeName("sk").keyType(KeyType.RANGE)));
    }

    static Attempt pending(Revision r, int n) {
        return Attempt.pending("beta", r, n, List.of("i-0aaaaaaaaaaaaaaaa"), null, "stale", T);
    }

    @Test
    void theClaimAndTheEnvironmentLockAreOneTransaction() {
        assertThat(ledger.claim(pending(A, 1), T.plusSeconds(90), T)).isEqualTo(Ledger.Claim.CLAIMED);
        assertThat(ledger.claim(pending(A, 1), T.plusSeconds(90), T.plusSeconds(200))).isEqualTo(Ledger.Claim.DUPLICATE);
        assertThat(ledger.claim(pending(B, 1), T.plusSeconds(90), T.plusSeconds(10))).isEqualTo(Ledger.Claim.LOCK_BUSY);
        assertThat(ledger.find("beta", Attempt.id(B, 1))).as("nothing written when the lock is busy").isEmpty();
        assertThat(ledger.lock("beta").orElseThrow().attemptId()).isEqualTo(Attempt.id(A, 1));
    }

    @Test
    void aCrashedClaimsLockFreesItselfOnceExpired() {
        ledger.claim(pending(A, 1), T.plusSeconds(90), T);
        assertThat(ledger.claim(pending(B, 1), T.plusSeconds(300), T.plusSeconds(91))).isEqualTo(Ledger.Claim.CLAIMED);
        assertThat(ledger.lock("beta").orElseThrow().revision()).isEqualTo(B);
        ledger.releaseLock("beta", Attempt.id(A, 1));
        assertThat(ledger.lock("beta")).as("only its holder releases it").isPresent();
        ledger.extendLock("beta", Attempt.id(B, 1), T.plusSeconds(4000));
        assertThat(ledger.lock("beta").orElseThrow().expiresAt()).isEqualTo(T.plusSeconds(4000));
    }

    @Test
    void twoConcurrentClaimsOfTwoRevisionsTakeTheLockOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Callable<Ledger.Claim>> claims = List.of(() -> ledger.claim(pending(A, 1), T.plusSeconds(90), T),
                () -> ledger.claim(pending(B, 1), T.plusSeconds(90), T));
        List<Ledger.Claim> answers = pool.invokeAll(claims).stream().map(DynamoLedgerIT::get).toList();
        pool.shutdown();
        assertThat(answers).containsOnlyOnce(Ledger.Claim.CLAIMED);
        assertThat(ledger.attempts("beta")).hasSize(1);
    }

    @Test
    void commandsResultsAndRetriesAreConditional() {
        Attempt p = pending(A, 1);
        ledger.claim(p, T.plusSeconds(90), T);
        Attempt sent = p.withCommand("c-1", List.of("i-0aaaaaaaaaaaaaaaa"), T).moveTo(AttemptState.IN_PROGRESS, "sent", T);
        assertThat(ledger.transition(sent, AttemptState.PENDING)).isTrue();
        assertThat(ledger.transition(sent, AttemptState.PENDING)).isFalse();
        assertThat(ledger.transition(sent.withCommand("c-2", List.of("i-0bbbbbbbbbbbbbbbb"), T), AttemptState.IN_PROGRESS)).isTrue();
        assertThat(ledger.requestRetry("beta", p.id(), T)).as("not while in flight").isFalse();

        InstanceResult ok = new InstanceResult(Outcome.REMEDIATED, false, "switched");
        Attempt recorded = ledger.recordResult("beta", p.id(), "i-0aaaaaaaaaaaaaaaa", ok).orElseThrow();
        assertThat(recorded.results()).containsEntry("i-0aaaaaaaaaaaaaaaa", ok);
        assertThat(recorded.commands()).containsOnlyKeys("c-1", "c-2");
        assertThat(ledger.recordResult("beta", p.id(), "i-0aaaaaaaaaaaaaaaa", ok)).isEmpty();
        assertThat(ledger.recordResult("beta", Attempt.id(B, 1), "i-0aaaaaaaaaaaaaaaa", ok)).isEmpty();

        ledger.transition(recorded.moveTo(AttemptState.ROLLED_BACK, "bad", T), AttemptState.IN_PROGRESS);
        assertThat(ledger.requestRetry("beta", p.id(), T.plusSeconds(5))).isTrue();
        assertThat(ledger.find("beta", p.id()).orElseThrow().retryRequestedAt()).isEqualTo(T.plusSeconds(5));
    }

    @Test
    void aReleasedClaimFreesTheLockAndLeavesNoAttempt() {
        ledger.claim(pending(A, 1), T.plusSeconds(90), T);
        ledger.release(pending(A, 1));
        assertThat(ledger.attempts("beta")).isEmpty();
        assertThat(ledger.lock("beta")).isEmpty();
    }

    @Test
    void theBranchHeadIsWrittenOnlyOverTheSequenceItWasReadAt() {
        DynamoBranchHeads heads = new DynamoBranchHeads(dynamo, "ledger");
        assertThat(heads.write("beta", new BranchHead(A, null, T, 1, false), 0)).isTrue();
        assertThat(heads.write("beta", new BranchHead(B, A, T.plusSeconds(1), 1, false), 0)).isFalse();
        assertThat(heads.write("beta", new BranchHead(B, A, T.plusSeconds(1), 2, false), 1)).isTrue();
        assertThat(heads.write("beta", new BranchHead(A, B, T.plusSeconds(2), 2, true), 1)).isFalse();
        assertThat(heads.read("beta")).contains(new BranchHead(B, A, T.plusSeconds(1), 2, false));
        assertThat(ledger.attempts("beta")).as("the head is not an attempt").isEmpty();
    }

    private static <T> T get(Future<T> f) {
        try {
            return f.get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
