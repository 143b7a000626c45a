package com.driftremediator.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON message published on RemediationTopic and read by SlackNotifierFunction. Field names are a contract:
 * environment, stack, instances[], desired, previous, revisionSource, verdictReason, outcome, commandId,
 * startedAt, finishedAt (ISO-8601), durationMs, links{name:url}, diagnosis.
 */
public final class ReportJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ReportJson() {
    }

    public static String write(Report r) {
        ObjectNode n = JSON.createObjectNode();
        n.put("environment", r.environment());
        n.put("stack", r.stack());
        r.instances().forEach(n.putArray("instances")::add);
        n.put("desired", r.desired() == null ? null : r.desired().sha());
        n.put("previous", r.previous() == null ? null : r.previous().sha());
        n.put("revisionSource", r.revisionSource());
        n.put("verdictReason", r.verdictReason());
        n.put("outcome", r.outcome().name());
        n.put("commandId", r.commandId());
        n.put("startedAt", r.startedAt() == null ? null : r.startedAt().toString());
        n.put("finishedAt", r.finishedAt() == null ? null : r.finishedAt().toString());
        n.put("durationMs", r.durationMs());
        ObjectNode links = n.putObject("links");
        r.links().forEach(links::put);
        n.put("diagnosis", r.diagnosis());
        return n.toString();
    }

    /** Parses a published message; throws IllegalArgumentException with the reason when it is not one. */
    public static Report read(String json) {
        JsonNode n;
        try {
            n = JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage());
        }
        if (n == null || !n.isObject() || !n.hasNonNull("outcome")) {
            throw new IllegalArgumentException("not a remediation report (no outcome)");
        }
        Outcome outcome;
        try {
            outcome = Outcome.valueOf(n.get("outcome").asText());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown outcome " + n.get("outcome").asText());
        }
        List<String> instances = new ArrayList<>();
        n.path("instances").forEach(i -> instances.add(i.asText()));
        Map<String, String> links = new LinkedHashMap<>();
        n.path("links").fields().forEachRemaining(e -> links.put(e.getKey(), e.getValue().asText()));
        return new Report(text(n, "environment"), text(n, "stack"), instances,
                Revision.parse(text(n, "desired")).orElse(null), Revision.parse(text(n, "previous")).orElse(null),
                text(n, "revisionSource"), text(n, "verdictReason"), outcome, text(n, "commandId"),
                instant(n, "startedAt"), instant(n, "finishedAt"), links, text(n, "diagnosis"));
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Instant instant(JsonNode n, String field) {
        String t = text(n, field);
        try {
            return t == null ? null : Instant.parse(t);
        } catch (Exception e) {
            return null;
        }
    }
}
