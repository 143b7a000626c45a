package com.driftremediator.aws;

import com.driftremediator.domain.Attempt;
import com.driftremediator.domain.AttemptState;
import com.driftremediator.domain.Ledger;
import com.driftremediator.domain.Outcome;
import com.driftremediator.domain.Revision;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * The ledger in LedgerTable: one item per (environment, revision), pk {@code ATTEMPT#<environment>},
 * sk {@code REV#<sha>}. Every write carries a condition, so a duplicate or concurrent event cannot claim,
 * move or record twice.
 */
public final class DynamoLedger implements Ledger {
    private static final Duration KEEP = Duration.ofDays(180);

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoLedger(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public Optional<Attempt> find(String environment, Revision revision) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table).key(key(environment, revision))
                .consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(toAttempt(item));
    }

    @Override
    public boolean claim(Attempt pending) {
        Map<String, AttributeValue> item = new HashMap<>(key(pending.environment(), pending.revision()));
        item.put("environment", s(pending.environment()));
        item.put("revision", s(pending.revision().sha()));
        item.put("state", s(pending.state().name()));
        item.put("instances", AttributeValue.fromL(pending.instances().stream().map(DynamoLedger::s).toList()));
        item.put("results", AttributeValue.fromM(Map.of()));
        item.put("createdAt", s(pending.createdAt().toString()));
        item.put("updatedAt", s(pending.updatedAt().toString()));
        item.put("expiresAt", AttributeValue.fromN(Long.toString(pending.createdAt().plus(KEEP).getEpochSecond())));
        if (pending.previous() != null) item.put("previous", s(pending.previous().sha()));
        if (pending.reason() != null) item.put("reason", s(pending.reason()));
        if (pending.commandId() != null) item.put("commandId", s(pending.commandId()));
        try {
            dynamo.putItem(r -> r.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)"));
            return true;
        } catch (ConditionalCheckFailedException duplicate) {
            return false;
        }
    }

    @Override
    public boolean transition(Attempt to, AttemptState from) {
        Map<String, String> names = Map.of("#state", "state");
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":to", s(to.state().name()));
        values.put(":from", s(from.name()));
        values.put(":updated", s(to.updatedAt().toString()));
        StringBuilder set = new StringBuilder("SET #state = :to, updatedAt = :updated");
        if (to.commandId() != null) {
            set.append(", commandId = :command");
            values.put(":command", s(to.commandId()));
        }
        if (to.reason() != null) {
            set.append(", reason = :reason");
            values.put(":reason", s(to.reason()));
        }
        try {
            dynamo.updateItem(r -> r.tableName(table).key(key(to.environment(), to.revision()))
                    .updateExpression(set.toString()).conditionExpression("#state = :from")
                    .expressionAttributeNames(names).expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException moved) {
            return false;
        }
    }

    @Override
    public void release(Attempt pending) {
        try {
            dynamo.deleteItem(r -> r.tableName(table).key(key(pending.environment(), pending.revision()))
                    .conditionExpression("#state = :pending").expressionAttributeNames(Map.of("#state", "state"))
                    .expressionAttributeValues(Map.of(":pending", s(AttemptState.PENDING.name()))));
        } catch (ConditionalCheckFailedException alreadyMoved) {
            // someone moved it on: it is theirs now
        }
    }

    @Override
    public Optional<Attempt> recordResult(String environment, Revision revision, String instanceId, Outcome outcome) {
        try {
            Map<String, AttributeValue> item = dynamo.updateItem(r -> r.tableName(table).key(key(environment, revision))
                    .updateExpression("SET #results.#instance = :outcome")
                    .conditionExpression("attribute_exists(pk) AND attribute_not_exists(#results.#instance)")
                    .expressionAttributeNames(Map.of("#results", "results", "#instance", instanceId))
                    .expressionAttributeValues(Map.of(":outcome", s(outcome.name())))
                    .returnValues(ReturnValue.ALL_NEW)).attributes();
            return Optional.of(toAttempt(item));
        } catch (ConditionalCheckFailedException duplicateOrUnknown) {
            return Optional.empty();
        }
    }

    @Override
    public List<Attempt> attempts(String environment) {
        List<Attempt> all = new ArrayList<>();
        dynamo.queryPaginator(QueryRequest.builder().tableName(table).consistentRead(true)
                        .keyConditionExpression("pk = :pk AND begins_with(sk, :rev)")
                        .expressionAttributeValues(Map.of(":pk", s(pk(environment)), ":rev", s("REV#"))).build())
                .items().forEach(i -> all.add(toAttempt(i)));
        return all.stream().sorted(Comparator.comparing(Attempt::createdAt).reversed()).toList();
    }

    private static Map<String, AttributeValue> key(String environment, Revision revision) {
        return Map.of("pk", s(pk(environment)), "sk", s("REV#" + revision.sha()));
    }

    private static String pk(String environment) {
        return "ATTEMPT#" + environment;
    }

    private static Attempt toAttempt(Map<String, AttributeValue> i) {
        Map<String, Outcome> results = new HashMap<>();
        if (i.containsKey("results")) i.get("results").m().forEach((k, v) -> results.put(k, Outcome.valueOf(v.s())));
        return new Attempt(text(i, "environment"), Revision.of(text(i, "revision")),
                AttemptState.valueOf(text(i, "state")), text(i, "commandId"),
                i.containsKey("instances") ? i.get("instances").l().stream().map(AttributeValue::s).toList() : List.of(),
                Revision.parse(text(i, "previous")).orElse(null), text(i, "reason"),
                Instant.parse(text(i, "createdAt")), Instant.parse(text(i, "updatedAt")), results);
    }

    private static String text(Map<String, AttributeValue> i, String name) {
        AttributeValue v = i.get(name);
        return v == null ? null : v.s();
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }
}
