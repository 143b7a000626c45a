package com.driftremediator.cli;

import com.driftremediator.aws.AwsClients;
import com.driftremediator.aws.DynamoLedger;
import com.driftremediator.aws.Settings;
import com.driftremediator.domain.Attempt;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Set;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code remediator history [--limit N] [--json] [--env-vars FILE]}: the ledger's remediation attempts, newest
 * first. The table and environment are DriftCheckFunction's (template.yaml and --env-vars, as for invoke).
 */
final class HistoryCommand {
    private HistoryCommand() {
    }

    static int run(String[] args) {
        Flags f = new Flags(args, Set.of("--limit", "--env-vars"), Set.of("--json"));
        if (!f.positional().isEmpty()) throw new Main.UsageException("usage: history [--limit N] [--json] [--env-vars FILE]");
        FunctionSpec spec = FunctionSpec.of(Template.read(Project.template()), "DriftCheckFunction",
                InvokeCommand.envVars(f), System.getenv(), Emulator.REGION);
        Settings env = new Settings(spec.variables());
        DynamoLedger ledger = new DynamoLedger(AwsClients.fromEnvironment().build(DynamoDbClient.builder()),
                env.require("LEDGER_TABLE"));
        List<Attempt> attempts = ledger.recent(env.require("ENVIRONMENT"), f.getInt("--limit", 20));
        if (f.has("--json")) {
            ArrayNode out = new ObjectMapper().createArrayNode();
            for (Attempt a : attempts) {
                ObjectNode n = out.addObject();
                n.put("environment", a.environment()).put("revision", a.revision().sha()).put("attempt", a.number())
                        .put("attemptId", a.id()).put("state", a.state().name())
                        .put("commandId", a.commandId()).put("createdAt", a.createdAt().toString())
                        .put("updatedAt", a.updatedAt().toString()).put("reason", a.reason());
                if (a.retryRequestedAt() != null) n.put("retryRequestedAt", a.retryRequestedAt().toString());
                ObjectNode commands = n.putObject("commands");
                a.commands().forEach((c, ids) -> ids.forEach(commands.putArray(c)::add));
                a.instances().forEach(n.putArray("instances")::add);
                ObjectNode results = n.putObject("results");
                a.results().forEach((i, r) -> results.putObject(i).put("outcome", r.outcome().name())
                        .put("transient", r.transientFailure()).put("reason", r.reason()));
            }
            System.out.println(out);
            return 0;
        }
        if (attempts.isEmpty()) {
            System.out.println("no remediation attempts for " + env.require("ENVIRONMENT"));
            return 0;
        }
        System.out.printf("%-20s  %-7s  %3s  %-11s  %-36s  %9s  %s%n", "CREATED", "REV", "TRY", "STATE", "COMMAND",
                "INSTANCES", "REASON");
        for (Attempt a : attempts) {
            String commands = a.commandId() == null ? "-"
                    : a.commandId() + (a.commands().size() > 1 ? " +" + (a.commands().size() - 1) : "");
            System.out.printf("%-20s  %-7s  %3d  %-11s  %-36s  %9s  %s%n", a.createdAt().toString().substring(0, 19) + "Z",
                    a.revision().shortSha(), a.number(), a.state(), commands,
                    a.results().size() + "/" + a.sentInstances().size(), a.reason() == null ? "" : a.reason());
        }
        return 0;
    }
}
