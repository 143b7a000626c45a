package com.driftremediator.cli;

import com.driftremediator.domain.Revision;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * {@code remediator retry [--revision SHA] [--env-vars FILE]}: an operator's retry. A revision whose release failed
 * its health check (rolled back), or that gave up after its transient failures, is not redeployed automatically;
 * this records the retry on its latest attempt and runs a drift check, exactly as DriftCheckFunction does for
 * {"action":"retry"} (through {@code invoke}). Without --revision: the authority's desired revision.
 */
final class RetryCommand {
    private RetryCommand() {
    }

    static int run(String[] args) {
        Flags f = new Flags(args, Set.of("--revision", "--env-vars"), Set.of());
        if (!f.positional().isEmpty()) throw new Main.UsageException("usage: retry [--revision SHA] [--env-vars FILE]");
        ObjectNode event = new ObjectMapper().createObjectNode().put("action", "retry");
        if (f.get("--revision") != null) {
            Revision r = Revision.parse(f.get("--revision"))
                    .orElseThrow(() -> new Main.UsageException("--revision wants a full 40-hex commit SHA"));
            event.put("revision", r.sha());
        }
        return InvokeCommand.invoke("DriftCheckFunction", event.toString().getBytes(StandardCharsets.UTF_8),
                InvokeCommand.envVars(f), System.out);
    }
}
