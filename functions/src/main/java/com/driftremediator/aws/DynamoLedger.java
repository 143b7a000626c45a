package com.driftremediator.aws;

import com.driftremediator.domain.Attempt;
import com.driftremediator.domain.AttemptState;
import com.driftremediator.domain.EnvironmentLock;
import com.driftremediator.domain.InstanceResult;
import com.driftremediator.domain.Ledger;
import com.driftremediator.domain.Outcome;
import com.driftremediator.domain.Revision;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The ledger in LedgerTable, pk {@code ATTEMPT#<environment>}: one item per attempt, sk
 * {@code ATT#<sha>#<number>}, and the environment lock, sk {@code LOCK}. The claim puts both in one transaction,
 * the lock only when absent or expired (Powertools' idempotency condition: {@code attribute_not_exists(pk) OR
 * lockExpiresAtMs < :nowMs}); every other write carries a condition too, so a duplicate or concurrent event
 * cannot claim, move or record twice.
 */
public final class DynamoLedger implements Ledger {
    private static final Duration KEEP = Duration.ofDays(180);
    private static final String LOCK = "LOCK";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoLedger(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public Optional<Attempt> find(String environment, String attemptId) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table).key(key(environment, "ATT#" + attemptId))
                .consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(toAttempt(item));
    }

    @Override
    public List<Attempt> attempts(String environment) {
        List<Attempt> all = new ArrayList<>();
        dynamo.queryPaginator(QueryRequest.builder().tableName(table).consistentRead(true)
                        .keyConditionExpression("pk = :pk AND begins_with(sk, :att)")
                        .expressionAttributeValues(Map.of(":pk", s(pk(environment)), ":att", s("ATT#"))).build())
                .items().forEach(i -> all.add(toAttempt(i)));
        return all.stream().sorted(Comparator.comparing(Attempt::createdAt).thenComparing(Attempt::number).reversed())
                .toList();
    }

    @Override
    public Optional<EnvironmentLock> lock(String environment) {
        Map<String, AttributeValue> i = dynamo.getItem(r -> r.tableName(table).key(key(environment, LOCK))
                .consistentRead(true)).item();
        if (i == null || i.isEmpty()) return Optional.empty();
        return Optional.of(new EnvironmentLock(environment, text(i, "attemptId"), Revision.of(text(i, "revision")),
                Instant.ofEpochMilli(Long.parseLong(i.get("lockExpiresAtMs").n()))));
    }

    @Override
    public Claim claim(Attempt pending, Instant lockExpiresAt, Instant now) {
        Map<String, AttributeValue> item = new HashMap<>(key(pending.environment(), "ATT#" + pending.id()));
        item.put("environment", s(pending.environment()));
        item.put("revision", s(pending.revision().sha()));
        item.put("number", n(pending.number()));
        item.put("state", s(pending.state().name()));
        item.put("instances", AttributeValue.fromL(pending.instances().stream().map(DynamoLedger::s).toList()));
        item.put("commands", AttributeValue.fromM(Map.of()));
        item.put("results", AttributeValue.fromM(Map.of()));
        item.put("createdAt", s(pending.createdAt().toString()));
        item.put("updatedAt", s(pending.updatedAt().toString()));
        item.put("expiresAt", n(pending.createdAt().plus(KEEP).getEpochSecond()));
        if (pending.previous() != null) item.put("previous", s(pending.previous().sha()));
        if (pending.reason() != null) item.put("reason", s(pending.reason()));
        Map<String, AttributeValue> lock = new HashMap<>(key(pending.environment(), LOCK));
        lock.put("attemptId", s(pending.id()));
        lock.put("revision", s(pending.revision().sha()));
        lock.put("lockExpiresAtMs", n(lockExpiresAt.toEpochMilli()));
        lock.put("expiresAt", n(lockExpiresAt.plus(KEEP).getEpochSecond()));
        try {
            dynamo.transactWriteItems(r -> r.transactItems(
                    TransactWriteItem.builder().put(p -> p.tableName(table).item(item)
                            .conditionExpression("attribute_not_exists(pk)")).build(),
                    TransactWriteItem.builder().put(p -> p.tableName(table).item(lock)
                            .conditionExpression("attribute_not_exists(pk) OR lockExpiresAtMs < :nowMs")
                            .expressionAttributeValues(Map.of(":nowMs", n(now.toEpochMilli())))).build()));
            return Claim.CLAIMED;
        } catch (TransactionCanceledException e) {
            List<CancellationReason> reasons = e.hasCancellationReasons() ? e.cancellationReasons() : List.of();
            if (!reasons.isEmpty() && "ConditionalCheckFailed".equals(reasons.get(0).code())) return Claim.DUPLICATE;
            if (reasons.size() > 1 && "ConditionalCheckFailed".equals(reasons.get(1).code())) return Claim.LOCK_BUSY;
            if (reasons.isEmpty() || reasons.stream().noneMatch(x -> "ConditionalCheckFailed".equals(x.code()))) {
                // cancelled for another reason (a conflicting transaction): the other writer won
                return find(pending.environment(), pending.id()).isPresent() ? Claim.DUPLICATE : Claim.LOCK_BUSY;
            }
            return Claim.LOCK_BUSY;
        }
    }

    @Override
    public boolean transition(Attempt to, AttemptState from) {
        Map<String, String> names = new HashMap<>(Map.of("#state", "state"));
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":to", s(to.state().name()));
        values.put(":from", s(from.name()));
        values.put(":updated", s(to.updatedAt().toString()));
        StringBuilder set = new StringBuilder("SET #state = :to, updatedAt = :updated");
        if (to.reason() != null) {
            set.append(", reason = :reason");
            values.put(":reason", s(to.reason()));
        }
        int i = 0;
        // one path per command: adding a batch never overwrites another writer's
        for (Map.Entry<String, List<String>> c : to.commands().entrySet()) {
            set.append(", commands.#c").append(i).append(" = :c").append(i);
            names.put("#c" + i, c.getKey());
            values.put(":c" + i, AttributeValue.fromL(c.getValue().stream().map(DynamoLedger::s).toList()));
            i++;
        }
        try {
            dynamo.updateItem(r -> r.tableName(table).key(key(to.environment(), "ATT#" + to.id()))
                    .updateExpression(set.toString()).conditionExpression("#state = :from")
                    .expressionAttributeNames(names).expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException moved) {
            return false;
        }
    }

    @Override
    public void extendLock(String environment, String attemptId, Instant expiresAt) {
        try {
            dynamo.updateItem(r -> r.tableName(table).key(key(environment, LOCK))
                    .updateExpression("SET lockExpiresAtMs = :ms").conditionExpression("attemptId = :id")
                    .expressionAttributeValues(Map.of(":ms", n(expiresAt.toEpochMilli()), ":id", s(attemptId))));
        } catch (ConditionalCheckFailedException notOurs) {
            // the lock expired and another attempt holds it now
        }
    }

    @Override
    public void releaseLock(String environment, String attemptId) {
        try {
            dynamo.deleteItem(r -> r.tableName(table).key(key(environment, LOCK)).conditionExpression("attemptId = :id")
                    .expressionAttributeValues(Map.of(":id", s(attemptId))));
        } catch (ConditionalCheckFailedException notOurs) {
            // already freed, or taken by another attempt after it expired
        }
    }

    @Override
    public void release(Attempt pending) {
        try {
            dynamo.deleteItem(r -> r.tableName(table).key(key(pending.environment(), "ATT#" + pending.id()))
                    .conditionExpression("#state = :pending").expressionAttributeNames(Map.of("#state", "state"))
                    .expressionAttributeValues(Map.of(":pending", s(AttemptState.PENDING.name()))));
        } catch (ConditionalCheckFailedException alreadyMoved) {
            // someone moved it on: it is theirs now
        }
        releaseLock(pending.environment(), pending.id());
    }

    @Override
    public Optional<Attempt> recordResult(String environment, String attemptId, String instanceId, InstanceResult result) {
        Map<String, AttributeValue> r = new LinkedHashMap<>();
        r.put("outcome", s(result.outcome().name()));
        r.put("transient", AttributeValue.fromBool(result.transientFailure()));
        if (result.reason() != null) r.put("reason", s(result.reason()));
        try {
            Map<String, AttributeValue> item = dynamo.updateItem(u -> u.tableName(table).key(key(environment, "ATT#" + attemptId))
                    .updateExpression("SET #results.#instance = :result")
                    .conditionExpression("attribute_exists(pk) AND attribute_not_exists(#results.#instance)")
                    .expressionAttributeNames(Map.of("#results", "results", "#instance", instanceId))
                    .expressionAttributeValues(Map.of(":result", AttributeValue.fromM(r)))
                    .returnValues(ReturnValue.ALL_NEW)).attributes();
            return Optional.of(toAttempt(item));
        } catch (ConditionalCheckFailedException duplicateOrUnknown) {
            return Optional.empty();
        }
    }

    @Override
    public boolean requestRetry(String environment, String attemptId, Instant at) {
        try {
            dynamo.updateItem(u -> u.tableName(table).key(key(environment, "ATT#" + attemptId))
                    .updateExpression("SET retryRequestedAt = :at")
                    .conditionExpression("attribute_exists(pk) AND NOT #state IN (:pending, :inProgress)")
                    .expressionAttributeNames(Map.of("#state", "state"))
                    .expressionAttributeValues(Map.of(":at", s(at.toString()), ":pending", s(AttemptState.PENDING.name()),
                            ":inProgress", s(AttemptState.IN_PROGRESS.name()))));
            return true;
        } catch (ConditionalCheckFailedException inFlightOrUnknown) {
            return false;
        }
    }

    private static Map<String, AttributeValue> key(String environment, String sk) {
        return Map.of("pk", s(pk(environment)), "sk", s(sk));
    }

    private static String pk(String environment) {
        return "ATTEMPT#" + environment;
    }

    private static Attempt toAttempt(Map<String, AttributeValue> i) {
        Map<String, InstanceResult> results = new LinkedHashMap<>();
        if (i.containsKey("results")) {
            i.get("results").m().forEach((k, v) -> results.put(k, new InstanceResult(Outcome.valueOf(v.m().get("outcome").s()),
                    Boolean.TRUE.equals(v.m().containsKey("transient") ? v.m().get("transient").bool() : null),
                    v.m().containsKey("reason") ? v.m().get("reason").s() : null)));
        }
        Map<String, List<String>> commands = new LinkedHashMap<>();
        if (i.containsKey("commands")) {
            i.get("commands").m().entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .forEach(e -> commands.put(e.getKey(), e.getValue().l().stream().map(AttributeValue::s).toList()));
        }
        String retry = text(i, "retryRequestedAt");
        return new Attempt(text(i, "environment"), Revision.of(text(i, "revision")), Integer.parseInt(i.get("number").n()),
                AttemptState.valueOf(text(i, "state")), commands,
                i.containsKey("instances") ? i.get("instances").l().stream().map(AttributeValue::s).toList() : List.of(),
                Revision.parse(text(i, "previous")).orElse(null), text(i, "reason"),
                Instant.parse(text(i, "createdAt")), Instant.parse(text(i, "updatedAt")), results,
                retry == null ? null : Instant.parse(retry));
    }

    private static String text(Map<String, AttributeValue> i, String name) {
        AttributeValue v = i.get(name);
        return v == null ? null : v.s();
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
