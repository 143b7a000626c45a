package com.driftremediator.github;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Delivery ids in LedgerTable: item {pk: "delivery#ID", sk: "github", receivedAt, expiresAt}. The table's TTL
 * deletes items after {@code expiresAt}; until the sweep runs, an expired item counts as absent.
 */
public final class DynamoDbDeliveryLog implements DeliveryLog {
    /** A redelivery GitHub offers is at most a few days old; a replay older than this is forwarded again. */
    public static final Duration RETENTION = Duration.ofDays(30);
    static final String SORT_KEY = "github";

    private final DynamoDbClient client;
    private final String table;
    private final Clock clock;
    private final Duration callTimeout;

    /** @param callTimeout bound on each call, retries included */
    public DynamoDbDeliveryLog(DynamoDbClient client, String table, Clock clock, Duration callTimeout) {
        this.client = client;
        this.table = table;
        this.clock = clock;
        this.callTimeout = callTimeout;
    }

    @Override
    public boolean record(String deliveryId) {
        Instant now = clock.instant();
        try {
            client.putItem(b -> b.tableName(table).overrideConfiguration(o -> o.apiCallTimeout(callTimeout))
                    .item(Map.of("pk", s(partitionKey(deliveryId)), "sk", s(SORT_KEY),
                            "receivedAt", s(now.toString()), "expiresAt", n(now.plus(RETENTION).getEpochSecond())))
                    .conditionExpression("attribute_not_exists(pk) OR expiresAt < :now")
                    .expressionAttributeValues(Map.of(":now", n(now.getEpochSecond()))));
            return true;
        } catch (ConditionalCheckFailedException seen) {
            return false;
        }
    }

    @Override
    public void forget(String deliveryId) {
        client.deleteItem(b -> b.tableName(table).overrideConfiguration(o -> o.apiCallTimeout(callTimeout))
                .key(Map.of("pk", s(partitionKey(deliveryId)), "sk", s(SORT_KEY))));
    }

    static String partitionKey(String deliveryId) {
        return "delivery#" + deliveryId;
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
