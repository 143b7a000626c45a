package com.driftremediator.aws;

import com.driftremediator.domain.BranchHead;
import com.driftremediator.domain.BranchHeads;
import com.driftremediator.domain.Revision;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Branch mode's head in LedgerTable: pk {@code BRANCH#<environment>}, sk {@code HEAD}, written only when its
 * sequence is still the one read (SSM PutParameter has no condition: two pushes could not be ordered there).
 */
public final class DynamoBranchHeads implements BranchHeads {
    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoBranchHeads(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public Optional<BranchHead> read(String environment) {
        Map<String, AttributeValue> i = dynamo.getItem(r -> r.tableName(table).key(key(environment)).consistentRead(true)).item();
        if (i == null || i.isEmpty()) return Optional.empty();
        return Optional.of(new BranchHead(Revision.of(i.get("revision").s()),
                i.containsKey("before") ? Revision.parse(i.get("before").s()).orElse(null) : null,
                i.containsKey("pushedAt") ? Instant.ofEpochSecond(Long.parseLong(i.get("pushedAt").n())) : null,
                Long.parseLong(i.get("sequence").n()), i.containsKey("forced") && Boolean.TRUE.equals(i.get("forced").bool())));
    }

    @Override
    public boolean write(String environment, BranchHead next, long expectedSequence) {
        Map<String, AttributeValue> item = new HashMap<>(key(environment));
        item.put("revision", AttributeValue.fromS(next.revision().sha()));
        if (next.before() != null) item.put("before", AttributeValue.fromS(next.before().sha()));
        if (next.pushedAt() != null) item.put("pushedAt", AttributeValue.fromN(Long.toString(next.pushedAt().getEpochSecond())));
        item.put("sequence", AttributeValue.fromN(Long.toString(next.sequence())));
        item.put("forced", AttributeValue.fromBool(next.forced()));
        try {
            if (expectedSequence == 0) {
                dynamo.putItem(r -> r.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)"));
            } else {
                dynamo.putItem(r -> r.tableName(table).item(item).conditionExpression("#seq = :expected")
                        .expressionAttributeNames(Map.of("#seq", "sequence"))
                        .expressionAttributeValues(Map.of(":expected", AttributeValue.fromN(Long.toString(expectedSequence)))));
            }
            return true;
        } catch (ConditionalCheckFailedException raced) {
            return false;
        }
    }

    private static Map<String, AttributeValue> key(String environment) {
        return Map.of("pk", AttributeValue.fromS("BRANCH#" + environment), "sk", AttributeValue.fromS("HEAD"));
    }
}
