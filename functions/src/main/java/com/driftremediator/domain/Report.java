package com.driftremediator.domain;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One outcome as published on RemediationTopic (JSON) and rendered for Slack. */
public record Report(String environment, String stack, List<String> instances, Revision desired, Revision previous,
                     String revisionSource, String verdictReason, Outcome outcome, String commandId,
                     Instant startedAt, Instant finishedAt, Map<String, String> links, String diagnosis) {
    public Report {
        instances = instances == null ? List.of() : List.copyOf(instances);
        links = links == null ? Map.of() : Map.copyOf(links);
    }

    public Report withDiagnosis(String text) {
        return new Report(environment, stack, instances, desired, previous, revisionSource, verdictReason, outcome,
                commandId, startedAt, finishedAt, links, text);
    }

    public long durationMs() {
        return startedAt == null || finishedAt == null ? 0 : finishedAt.toEpochMilli() - startedAt.toEpochMilli();
    }
}
