package com.driftremediator.github;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The answer to GitHub: a status and a small JSON body {"result": ..., "reason": ...}, shown in its delivery log. */
public record WebhookResponse(int status, String result, String reason) {
    private static final ObjectMapper JSON = new ObjectMapper();

    static WebhookResponse unauthorized(String reason) {
        return new WebhookResponse(401, "unauthorized", reason);
    }

    static WebhookResponse badRequest(String reason) {
        return new WebhookResponse(400, "bad request", reason);
    }

    static WebhookResponse ignored(String reason) {
        return new WebhookResponse(200, "ignored", reason);
    }

    public String bodyJson() {
        return JSON.createObjectNode().put("result", result).put("reason", reason).toString();
    }
}
