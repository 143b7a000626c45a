package com.driftremediator.domain;

import com.driftremediator.json.Json;

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
    private ReportJson() {
    }

    public static String write(Report r) {
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("environment", r.environment());
        n.put("stack", r.stack());
        n.put("instances", r.instances());
        n.put("desired", r.desired() == null ? null : r.desired().sha());
        n.put("previous", r.previous() == null ? null : r.previous().sha());
        n.put("revisionSource", r.revisionSource());
        n.put("verdictReason", r.verdictReason());
        n.put("outcome", r.outcome().name());
        n.put("commandId", r.commandId());
        n.put("startedAt", r.startedAt() == null ? null : r.startedAt().toString());
        n.put("finishedAt", r.finishedAt() == null ? null : r.finishedAt().toString());
        n.put("durationMs", r.durationMs());
        n.put("links", r.links());
        n.put("diagnosis", r.diagnosis());
        return Json.write(n);
    }

    /** Parses a published message; throws IllegalArgumentException with the reason when it is not one. */
    public static Report read(String json) {
        Json.Value n = Json.parse(json);
        if (!n.isObject() || n.path("outcome").isAbsent()) {
            throw new IllegalArgumentException("not a remediation report (no outcome)");
        }
        Outcome outcome;
        try {
            outcome = Outcome.valueOf(n.path("outcome").asText(""));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown outcome " + n.path("outcome").asText(""));
        }
        List<String> instances = new ArrayList<>();
        n.path("instances").elements().forEach(i -> instances.add(i.asText("")));
        Map<String, String> links = new LinkedHashMap<>();
        n.path("links").fields().forEach((name, url) -> links.put(name, url.asText("")));
        return new Report(text(n, "environment"), text(n, "stack"), instances,
                Revision.parse(text(n, "desired")).orElse(null), Revision.parse(text(n, "previous")).orElse(null),
                text(n, "revisionSource"), text(n, "verdictReason"), outcome, text(n, "commandId"),
                instant(n, "startedAt"), instant(n, "finishedAt"), links, text(n, "diagnosis"));
    }

    private static String text(Json.Value n, String field) {
        return n.path(field).asText(null);
    }

    private static Instant instant(Json.Value n, String field) {
        String t = text(n, field);
        try {
            return t == null ? null : Instant.parse(t);
        } catch (Exception e) {
            return null;
        }
    }
}
