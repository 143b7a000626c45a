package com.driftremediator.domain;

import com.driftremediator.json.Json;

/**
 * The one-line JSON summary that RedeployDocument prints first on stdout
 * (GetCommandInvocation keeps only the first 24,000 characters).
 */
public record RedeploySummary(String result, Revision revision, Revision previous, Revision serving,
                              String message, int exitCode) {
    /** Reads the first line of stdout that is a JSON object carrying "result"; null when there is none. */
    public static RedeploySummary parse(String stdout) {
        if (stdout == null) return null;
        for (String line : stdout.split("\n")) {
            String t = line.strip();
            if (!t.startsWith("{")) continue;
            Json.Value n = Json.parseObject(t);
            // keep looking past other lines: an app may print JSON-looking lines too
            if (n == null || n.path("result").isAbsent()) continue;
            Long exitCode = n.path("exitCode").longValue();
            return new RedeploySummary(n.path("result").asText(""),
                    Revision.parse(n.path("revision").asText(null)).orElse(null),
                    Revision.parse(n.path("previous").asText(null)).orElse(null),
                    Revision.parse(n.path("serving").asText(null)).orElse(null),
                    n.path("message").asText(""), exitCode == null ? 0 : exitCode.intValue());
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
