package com.driftremediator.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The one-line JSON summary that RedeployDocument prints first on stdout
 * (GetCommandInvocation keeps only the first 24,000 characters).
 */
public record RedeploySummary(String result, Revision revision, Revision previous, Revision serving,
                              String message, int exitCode) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Reads the first line of stdout that is a JSON object carrying "result"; null when there is none. */
    public static RedeploySummary parse(String stdout) {
        if (stdout == null) return null;
        for (String line : stdout.split("\n")) {
            String t = line.strip();
            if (!t.startsWith("{")) continue;
            try {
                JsonNode n = JSON.readTree(t);
                if (n == null || !n.hasNonNull("result")) continue;
                return new RedeploySummary(n.path("result").asText(),
                        Revision.parse(n.path("revision").asText(null)).orElse(null),
                        Revision.parse(n.path("previous").asText(null)).orElse(null),
                        Revision.parse(n.path("serving").asText(null)).orElse(null),
                        n.path("message").asText(""), n.path("exitCode").asInt(0));
            } catch (Exception notJson) {
                // keep looking: an app may print JSON-looking lines too
            }
        }
        return null;
    }

    public Outcome outcome() {
        return switch (result) {
            case "deployed" -> Outcome.REMEDIATED;
            case "noop" -> Outcome.NOOP;
            case "rolled_back" -> Outcome.ROLLED_BACK;
            default -> Outcome.FAILED;
        };
    }
}
