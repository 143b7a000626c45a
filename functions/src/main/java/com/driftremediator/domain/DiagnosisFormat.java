package com.driftremediator.domain;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** A diagnosis as JSON (the DiagnoseFunction response, {@code demo --json}), plain text, or Markdown. */
public final class DiagnosisFormat {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DiagnosisFormat() {
    }

    public enum Style {
        TEXT, JSON, MARKDOWN;

        /** text, json or markdown; IllegalArgumentException names the choices otherwise. */
        public static Style parse(String name) {
            try {
                return valueOf(name.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new IllegalArgumentException("--format must be text, json or markdown, not " + Revision.printable(name));
            }
        }
    }

    public static String render(Diagnosis d, Style style) {
        return switch (style) {
            case JSON -> toJson(d).toPrettyString();
            case TEXT -> text(d);
            case MARKDOWN -> markdown(d);
        };
    }

    /**
     * Field names are a contract: instanceId, verdict, explanation, facts{instance, stack, desired, userData, app,
     * service, cloudInit, hostProblem}. Times are ISO-8601.
     */
    public static ObjectNode toJson(Diagnosis d) {
        Diagnosis.Facts f = d.facts();
        ObjectNode n = JSON.createObjectNode();
        n.put("instanceId", d.target().instanceId());
        n.put("verdict", d.verdict().name());
        n.put("explanation", d.explanation());
        ObjectNode facts = n.putObject("facts");
        InstanceFacts i = f.instance();
        ObjectNode inst = facts.putObject("instance");
        inst.put("state", i.found() ? i.state() : "not-found");
        inst.put("launchTime", time(i.launchTime()));
        inst.put("instanceProfile", i.instanceProfile());
        ObjectNode tags = inst.putObject("tags");
        i.tags().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey()).forEach(e -> tags.put(e.getKey(), e.getValue()));
        ObjectNode ssm = inst.putObject("ssm");
        ssm.put("managed", i.ssm().managed());
        ssm.put("pingStatus", i.ssm().pingStatus());
        ssm.put("agentVersion", i.ssm().agentVersion());
        ssm.put("lastPingAt", time(i.ssm().lastPingAt()));
        ObjectNode stack = facts.putObject("stack");
        stack.put("name", f.stack());
        stack.put("lastUpdatedAt", time(f.stackUpdatedAt()));
        ObjectNode desired = facts.putObject("desired");
        desired.put("revision", f.desired() == null ? null : f.desired().revision().sha());
        desired.put("source", f.desired() == null || f.desired().origin() == null ? null : f.desired().describe());
        UserData u = f.userData();
        ObjectNode ud = facts.putObject("userData");
        ud.put("present", u.present());
        u.notes().forEach(ud.putArray("encoding")::add);
        var parts = ud.putArray("parts");
        u.parts().forEach(p -> parts.addObject().put("type", p.type()).put("filename", p.filename()));
        u.updaters().forEach(ud.putArray("updaters")::add);
        ud.put("script", u.present() ? u.script() : null);
        HostFacts h = f.host();
        if (h != null) {
            HostFacts.App a = h.app();
            ObjectNode app = facts.putObject("app");
            app.put("directory", a.directory());
            app.put("layout", a.layout());
            app.put("resolvedDirectory", a.resolvedDirectory());
            app.put("revision", a.revision() == null ? null : a.revision().sha());
            app.put("changedAt", time(a.changedAt()));
            a.modifiedFiles().forEach(app.putArray("modifiedFiles")::add);
            HostFacts.Service s = h.service();
            ObjectNode svc = facts.putObject("service");
            svc.put("unit", s.unit());
            svc.put("loadState", s.loadState());
            svc.put("activeState", s.activeState());
            svc.put("subState", s.subState());
            svc.put("activeEnterTimestamp", s.activeEnterTimestamp());
            svc.put("startedAt", time(s.startedAt()));
            svc.put("execStart", s.command());
            svc.put("workingDirectory", s.workingDirectory());
            svc.put("fragmentPath", s.fragmentPath());
            svc.put("processDirectory", s.processDirectory());
            svc.put("processRevision", s.processRevision() == null ? null : s.processRevision().sha());
            svc.put("served", s.served() == null ? null : s.served().sha());
            svc.put("unitFile", s.unitFile());
            HostFacts.CloudInit c = h.cloudInit();
            ObjectNode ci = facts.putObject("cloudInit");
            ci.put("log", c.log());
            ci.put("logExists", c.logExists());
            ci.put("finished", c.finished());
            ci.put("finishedLine", c.finishedLine());
            c.errors().forEach(ci.putArray("errors")::add);
            ci.put("tail", c.tail());
        }
        facts.put("hostProblem", f.hostProblem());
        return n;
    }

    private static String text(Diagnosis d) {
        Diagnosis.Facts f = d.facts();
        StringBuilder b = new StringBuilder();
        b.append(d.target()).append(": ").append(d.verdict()).append('\n').append(d.explanation()).append("\n\n");
        for (String[] row : rows(d)) b.append(String.format("%-22s %s%n", row[0], row[1]));
        if (f.userData().present()) {
            b.append("\n-- UserData (").append(String.join(", ", f.userData().notes().isEmpty()
                    ? List.of("plain") : f.userData().notes())).append(") --\n").append(f.userData().script());
        }
        HostFacts h = f.host();
        if (h != null) {
            if (h.service().unitFile() != null) b.append("\n-- unit ").append(h.service().unit()).append(" --\n").append(h.service().unitFile());
            if (!h.cloudInit().errors().isEmpty()) {
                b.append("\n-- cloud-init errors --\n").append(String.join("\n", h.cloudInit().errors())).append('\n');
            }
            if (h.cloudInit().tail() != null) b.append("\n-- ").append(h.cloudInit().log()).append(" (end) --\n").append(h.cloudInit().tail());
        }
        return b.toString();
    }

    private static String markdown(Diagnosis d) {
        Diagnosis.Facts f = d.facts();
        StringBuilder b = new StringBuilder();
        b.append("### ").append(d.target()).append(": `").append(d.verdict()).append("`\n\n").append(d.explanation()).append("\n\n");
        b.append("| fact | value |\n|---|---|\n");
        for (String[] row : rows(d)) b.append("| ").append(row[0]).append(" | ").append(row[1].replace("|", "\\|")).append(" |\n");
        if (f.userData().present()) fence(b, "UserData", f.userData().script());
        HostFacts h = f.host();
        if (h != null) {
            if (h.service().unitFile() != null) fence(b, "Unit " + h.service().unit(), h.service().unitFile());
            if (!h.cloudInit().errors().isEmpty()) fence(b, "cloud-init errors", String.join("\n", h.cloudInit().errors()));
            if (h.cloudInit().tail() != null) fence(b, h.cloudInit().log() + " (end)", h.cloudInit().tail());
        }
        return b.toString();
    }

    private static void fence(StringBuilder b, String title, String body) {
        b.append("\n<details><summary>").append(title).append("</summary>\n\n```\n").append(body.replace("```", "'''"));
        if (!body.endsWith("\n")) b.append('\n');
        b.append("```\n</details>\n");
    }

    private static List<String[]> rows(Diagnosis d) {
        Diagnosis.Facts f = d.facts();
        InstanceFacts i = f.instance();
        List<String[]> rows = new java.util.ArrayList<>();
        rows.add(row("instance state", i.found() ? i.state() : "not found"));
        rows.add(row("launched", time(i.launchTime())));
        rows.add(row("SSM", !i.ssm().managed() ? "not managed" : or(i.ssm().pingStatus(), "status unknown")));
        if (f.stack() != null) rows.add(row("stack last updated", f.stack() + " " + or(time(f.stackUpdatedAt()), "unknown")));
        rows.add(row("desired revision", f.desired() == null ? null : f.desired().revision().sha()));
        HostFacts h = f.host();
        if (h != null) {
            rows.add(row("app directory", h.app().directory() + " (" + h.app().layout() + ")"));
            rows.add(row("revision on disk", h.app().revision() == null ? null : h.app().revision().sha()));
            rows.add(row("changed at", time(h.app().changedAt())));
            if (!h.app().modifiedFiles().isEmpty()) rows.add(row("modified files", String.join(", ", h.app().modifiedFiles())));
            HostFacts.Service s = h.service();
            rows.add(row("service", s.unit() + " " + or(s.activeState(), "?") + "/" + or(s.subState(), "?")
                    + (s.found() ? "" : " (" + or(s.loadState(), "no systemctl") + ")")));
            rows.add(row("service started", s.activeEnterTimestamp()));
            rows.add(row("ExecStart", s.command()));
            rows.add(row("WorkingDirectory", s.workingDirectory()));
            if (s.served() != null) rows.add(row("served revision", s.served().sha()));
            if (s.processRevision() != null) rows.add(row("process runs", s.processRevision().sha()));
            rows.add(row("cloud-init", !h.cloudInit().logExists() ? "log missing"
                    : h.cloudInit().finished() ? "finished" : "not finished"));
        } else if (f.hostProblem() != null) {
            rows.add(row("on the instance", f.hostProblem()));
        }
        return rows;
    }

    private static String[] row(String name, String value) {
        return new String[] {name, value == null ? "-" : value};
    }

    private static String or(String value, String fallback) {
        return value == null ? fallback : value;
    }

    private static String time(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
