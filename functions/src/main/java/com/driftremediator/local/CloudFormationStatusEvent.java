package com.driftremediator.local;

import com.driftremediator.domain.Trigger;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The EventBridge "CloudFormation Stack Status Change" event, as far as a drift check needs it. The stack
 * name comes from the stack ARN (arn:aws:cloudformation:REGION:ACCOUNT:stack/NAME/ID).
 */
public record CloudFormationStatusEvent(String region, String account, String stackId, String stackName,
                                        String status, String statusReason) {
    public static final String SOURCE = "aws.cloudformation";
    public static final String DETAIL_TYPE = "CloudFormation Stack Status Change";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Throws IllegalArgumentException, with the reason, when the JSON is not such an event. */
    public static CloudFormationStatusEvent parse(String json) {
        JsonNode n;
        try {
            n = JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage());
        }
        if (n == null || !SOURCE.equals(n.path("source").asText()) || !DETAIL_TYPE.equals(n.path("detail-type").asText())) {
            throw new IllegalArgumentException("not a " + DETAIL_TYPE + " event from " + SOURCE);
        }
        String stackId = n.path("detail").path("stack-id").asText("");
        String[] arn = stackId.split(":", 6);
        if (arn.length != 6 || !arn[5].startsWith("stack/") || arn[5].split("/").length != 3) {
            throw new IllegalArgumentException("detail.stack-id is not a stack ARN");
        }
        JsonNode status = n.path("detail").path("status-details");
        return new CloudFormationStatusEvent(n.path("region").asText(arn[3]), n.path("account").asText(arn[4]), stackId,
                arn[5].split("/")[1], status.path("status").asText(""), status.path("status-reason").asText(""));
    }

    /** A finished create or update starts a drift check; other statuses do not. */
    public boolean completed() {
        return status.equals("CREATE_COMPLETE") || status.equals("UPDATE_COMPLETE");
    }

    public Trigger trigger() {
        return new Trigger(Trigger.Kind.STACK_COMPLETE, null, "stack " + stackName + " " + status);
    }
}
