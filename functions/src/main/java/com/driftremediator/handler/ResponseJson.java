package com.driftremediator.handler;

import com.driftremediator.domain.CheckResult;
import com.driftremediator.domain.Report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The handlers' response JSON (written by {@link com.driftremediator.json.Json}): per target the verdict, the
 * decision, and the SSM command id when one was sent.
 */
final class ResponseJson {
    private ResponseJson() {
    }

    static Map<String, Object> ignored(String reason) {
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("ignored", reason);
        return n;
    }

    static void check(CheckResult r, Map<String, Object> n) {
        n.put("environment", r.environment());
        if (r.ignored() != null) n.put("ignored", r.ignored());
        if (r.desired() != null) {
            n.put("desired", r.desired().revision().sha());
            n.put("revisionSource", r.desired().describe());
        }
        n.put("commandId", r.commandId());
        n.put("commandIds", r.commandIds());
        n.put("attemptId", r.attemptId());
        if (r.note() != null) n.put("note", r.note());
        List<Object> targets = new ArrayList<>();
        for (CheckResult.TargetResult t : r.targets()) {
            Map<String, Object> verdict = new LinkedHashMap<>();
            verdict.put("sync", t.verdict().sync());
            verdict.put("health", t.verdict().health());
            verdict.put("reasons", t.verdict().reasons());
            verdict.put("explanation", t.verdict().explanation());
            Map<String, Object> decision = new LinkedHashMap<>();
            decision.put("action", t.decision().action());
            decision.put("reason", t.decision().reason());
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("instanceId", t.target().instanceId());
            o.put("verdict", verdict);
            o.put("decision", decision);
            o.put("commandId", t.commandId());
            targets.add(o);
        }
        n.put("targets", targets);
    }

    static Map<String, Object> report(Report r) {
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("outcome", r.outcome());
        n.put("desired", r.desired() == null ? null : r.desired().sha());
        n.put("commandId", r.commandId());
        n.put("reason", r.verdictReason());
        return n;
    }
}
