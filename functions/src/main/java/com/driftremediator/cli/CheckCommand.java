package com.driftremediator.cli;

import com.driftremediator.domain.Revision;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * {@code remediator check|retry [--revision SHA] [--env-vars FILE]}: a drift check now, exactly as DriftCheckFunction
 * runs it for {"action":"check"} or {"action":"retry"} (through {@code invoke}, so against whatever AWS_ENDPOINT_URL
 * points at). {@code retry} is an operator's retry: a revision whose release failed its health check (rolled back),
 * or that gave up after its transient failures, is not redeployed automatically; it records the retry on its latest
 * attempt, then checks. Without --revision: the authority's desired revision.
 */
final class CheckCommand {
    private CheckCommand() {
    }

    /** @param action check or retry */
    static int run(String[] args, String action) {
        Flags f = new Flags(args, Set.of("--revision", "--env-vars"), Set.of());
        if (!f.positional().isEmpty()) throw new Main.UsageException("usage: " + action + " [--revision SHA] [--env-vars FILE]");
        ObjectNode event = new ObjectMapper().createObjectNode().put("action", action);
        if (f.get("--revision") != null) {
            Revision r = Revision.parse(f.get("--revision"))
                    .orElseThrow(() -> new Main.UsageException("--revision wants a full 40-hex commit SHA"));
            event.put("revision", r.sha());
        }
        return InvokeCommand.invoke("DriftCheckFunction", event.toString().getBytes(StandardCharsets.UTF_8),
                InvokeCommand.envVars(f), System.out);
    }
}
