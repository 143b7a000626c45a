package com.driftremediator.slack;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * {@link SlackState} in LedgerTable: items {@code pk=slack-msg#<MessageId>} (state SENDING until leaseUntil, then
 * SENT) and {@code pk=slack#<commandId>} (the started message's ts), sk {@code slack}, expiring through the
 * table's TTL attribute {@code expiresAt}.
 */
public final class DynamoSlackState implements SlackState {
    static final Duration KEEP = Duration.ofDays(7);
    private static final String SK = "slack";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoSlackState(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public boolean claim(String messageId, Instant now, Instant leaseUntil) {
        try {
            dynamo.putItem(b -> b.tableName(table)
                    .item(Map.of("pk", s("slack-msg#" + messageId), "sk", s(SK), "state", s("SENDING"),
                            "leaseUntil", n(leaseUntil.getEpochSecond()), "expiresAt", n(now.plus(KEEP).getEpochSecond())))
                    .conditionExpression("attribute_not_exists(pk) OR (#state = :sending AND leaseUntil < :now)")
                    .expressionAttributeNames(Map.of("#state", "state"))
                    .expressionAttributeValues(Map.of(":sending", s("SENDING"), ":now", n(now.getEpochSecond()))));
            return true;
        } catch (ConditionalCheckFailedException duplicate) {
            return false;
        }
    }

    @Override
    public void delivered(String messageId, Instant now) {
        dynamo.updateItem(b -> b.tableName(table).key(key("slack-msg#" + messageId))
                .updateExpression("SET #state = :sent REMOVE leaseUntil")
                .expressionAttributeNames(Map.of("#state", "state"))
                .expressionAttributeValues(Map.of(":sent", s("SENT"))));
    }

    @Override
    public void release(String messageId) {
        try {
            dynamo.deleteItem(b -> b.tableName(table).key(key("slack-msg#" + messageId))
                    .conditionExpression("#state = :sending")
                    .expressionAttributeNames(Map.of("#state", "state"))
                    .expressionAttributeValues(Map.of(":sending", s("SENDING"))));
        } catch (ConditionalCheckFailedException alreadyGone) {
            // nothing to give back
        }
    }

    @Override
    public Optional<String> thread(String commandId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(key("slack#" + commandId))
                .consistentRead(true)).item();
        return item == null || !item.containsKey("ts") ? Optional.empty() : Optional.of(item.get("ts").s());
    }

    @Override
    public void rememberThread(String commandId, String ts, Instant now) {
        dynamo.putItem(b -> b.tableName(table).item(Map.of("pk", s("slack#" + commandId), "sk", s(SK), "ts", s(ts),
                "expiresAt", n(now.plus(KEEP).getEpochSecond()))));
    }

    private static Map<String, AttributeValue> key(String pk) {
        return Map.of("pk", s(pk), "sk", s(SK));
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
