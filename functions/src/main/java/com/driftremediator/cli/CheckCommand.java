package com.driftremediator.cli;

import com.driftremediator.domain.Revision;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * {@code remediator check [--revision SHA] [--env-vars FILE]}: a drift check now, exactly as DriftCheckFunction
 * runs it for {"action":"check"} (through {@code invoke}, so against whatever AWS_ENDPOINT_URL points at).
 */
final class CheckCommand {
    private CheckCommand() {
    }

    static int run(String[] args) {
        Flags f = new Flags(args, Set.of("--revision", "--env-vars"), Set.of());
        if (!f.positional().isEmpty()) throw new Main.UsageException("usage: check [--revision SHA] [--env-vars FILE]");
        ObjectNode event = new ObjectMapper().createObjectNode().put("action", "check");
        if (f.get("--revision") != null) {
            Revision r = Revision.parse(f.get("--revision"))
                    .orElseThrow(() -> new Main.UsageException("--revision wants a full 40-hex commit SHA"));
            event.put("revision", r.sha());
        }
        return InvokeCommand.invoke("DriftCheckFunction", event.toString().getBytes(StandardCharsets.UTF_8),
                InvokeCommand.envVars(f), System.out);
    }
}
