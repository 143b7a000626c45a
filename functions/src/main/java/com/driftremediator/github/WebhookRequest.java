package com.driftremediator.github;

import java.util.Map;
import java.util.TreeMap;

/** One HTTP delivery as a Function URL hands it over: headers, the body text and whether that text is base64. */
public record WebhookRequest(Map<String, String> headers, String body, boolean base64) {
    public WebhookRequest {
        // HTTP header names are case-insensitive; Function URLs lower-case them, other callers may not.
        Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (headers != null) h.putAll(headers);
        headers = h;
        body = body == null ? "" : body;
    }

    public String header(String name) {
        return headers.get(name);
    }
}
