package com.driftremediator.handler;

import com.driftremediator.domain.CheckResult;
import com.driftremediator.domain.Decision;
import com.driftremediator.domain.Report;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The handlers' response JSON: per target the verdict, the decision, and the SSM command id when one was sent. */
final class ResponseJson {
    static final ObjectMapper JSON = new ObjectMapper();

    private ResponseJson() {
    }

    static ObjectNode ignored(String reason) {
        ObjectNode n = JSON.createObjectNode();
        n.put("ignored", reason);
        return n;
    }

    static void check(CheckResult r, ObjectNode n) {
        n.put("environment", r.environment());
        if (r.ignored() != null) n.put("ignored", r.ignored());
        if (r.desired() != null) {
            n.put("desired", r.desired().revision().sha());
            n.put("revisionSource", r.desired().describe());
        }
        n.put("commandId", r.commandId());
        ArrayNode targets = n.putArray("targets");
        for (CheckResult.TargetResult t : r.targets()) {
            ObjectNode o = targets.addObject();
            o.put("instanceId", t.target().instanceId());
            ObjectNode v = o.putObject("verdict");
            v.put("sync", t.verdict().sync().name());
            v.put("health", t.verdict().health().name());
            ArrayNode reasons = v.putArray("reasons");
            t.verdict().reasons().forEach(reason -> reasons.add(reason.name()));
            v.put("explanation", t.verdict().explanation());
            ObjectNode d = o.putObject("decision");
            d.put("action", t.decision().action().name());
            d.put("reason", t.decision().reason());
            o.put("commandId", t.decision().action() == Decision.Action.REDEPLOY ? r.commandId() : null);
        }
    }

    static ObjectNode report(Report r) {
        ObjectNode n = JSON.createObjectNode();
        n.put("outcome", r.outcome().name());
        n.put("desired", r.desired() == null ? null : r.desired().sha());
        n.put("commandId", r.commandId());
        n.put("reason", r.verdictReason());
        return n;
    }
}
