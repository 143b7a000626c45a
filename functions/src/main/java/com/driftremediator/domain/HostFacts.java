package com.driftremediator.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What DiagnoseDocument saw on the instance (or the sandbox): the app directory, the service, cloud-init.
 * Parsed from the script's stdout: one JSON line of facts first, then {@code ==> drift-remediator NAME <==} sections.
 */
public record HostFacts(App app, Service service, CloudInit cloudInit, Instant observedAt) {
    public static final String FORMAT = "drift-remediator-diagnose/1";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SECTION = Pattern.compile("^==> drift-remediator ([a-z-]+) <==$");
    private static final DateTimeFormatter SYSTEMD_UTC =
            DateTimeFormatter.ofPattern("EEE yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT);
    private static final Pattern ARGV = Pattern.compile("argv\\[]=([^;]*)");

    /**
     * @param layout           release ({@code REVISION} file), git (plain checkout), plain (neither), missing
     * @param changedAt        when the live release was switched in (the {@code current} link) or HEAD last moved
     * @param modifiedFiles    {@code git status --porcelain} lines: files edited in place
     */
    public record App(String directory, String layout, String resolvedDirectory, Revision revision, Instant changedAt,
                      List<String> modifiedFiles) {
        public App {
            modifiedFiles = List.copyOf(modifiedFiles);
        }

        public boolean exists() {
            return !"missing".equals(layout);
        }
    }

    /**
     * @param served           revision the service reports on its version URL (null: not asked or no answer)
     * @param processRevision  REVISION of the directory the running process works in (/proc/PID/cwd), or its git HEAD
     *                         while that is the plain checkout
     */
    public record Service(String unit, boolean systemctl, String loadState, String activeState, String subState,
                          String activeEnterTimestamp, Instant startedAt, String execStart, String workingDirectory,
                          String fragmentPath, String unitFile, String processDirectory, Revision processRevision,
                          Revision served) {
        /** A stand-in that prints no LoadState still counts as found when it reports a state. */
        public boolean found() {
            return loadState == null ? activeState != null : "loaded".equals(loadState);
        }

        public boolean active() {
            return "active".equals(activeState);
        }

        /** The command line from systemd's {@code ExecStart={ path=... ; argv[]=... ; ... }}. */
        public String command() {
            if (execStart == null) return null;
            Matcher m = ARGV.matcher(execStart);
            return m.find() ? m.group(1).strip() : execStart;
        }
    }

    /** @param finishedLine cloud-init's final "Cloud-init v. ... finished at ..." line, null when absent */
    public record CloudInit(String log, boolean logExists, String finishedLine, List<String> errors, String tail) {
        public CloudInit {
            errors = List.copyOf(errors);
        }

        public boolean finished() {
            return finishedLine != null;
        }
    }

    /** Parses DiagnoseDocument's stdout; throws IllegalArgumentException saying why when it is not that. */
    public static HostFacts parse(String stdout) {
        if (stdout == null || stdout.isBlank()) throw new IllegalArgumentException("the diagnostic script printed nothing");
        String[] lines = stdout.split("\n", -1);
        JsonNode facts = null;
        int i = 0;
        for (; i < lines.length && facts == null; i++) {
            String t = lines[i].strip();
            if (!t.startsWith("{")) continue;
            try {
                JsonNode n = JSON.readTree(t);
                if (n != null && FORMAT.equals(n.path("format").asText())) facts = n;
            } catch (Exception notOurs) {
                // keep looking for the facts line
            }
        }
        if (facts == null) throw new IllegalArgumentException("no " + FORMAT + " facts line in the output");
        if (facts.hasNonNull("error")) throw new IllegalArgumentException("diagnostic script: " + facts.get("error").asText());
        Map<String, List<String>> sections = new LinkedHashMap<>();
        List<String> current = null;
        for (; i < lines.length; i++) {
            Matcher m = SECTION.matcher(lines[i]);
            if (m.matches()) {
                current = new ArrayList<>();
                sections.put(m.group(1), current);
            } else if (current != null) {
                current.add(lines[i]);
            }
        }
        App app = new App(text(facts, "appDirectory"), text(facts, "layout") == null ? "missing" : text(facts, "layout"),
                text(facts, "resolvedDirectory"), Revision.parse(text(facts, "revision")).orElse(null),
                epoch(text(facts, "releaseSwitchedAt")), nonBlank(sections.get("modified-files")));
        String since = text(facts, "activeEnterTimestamp");
        Instant started = epoch(text(facts, "activeEnterEpoch"));
        if (started == null) started = systemdTime(since);
        Service service = new Service(text(facts, "unit"), "yes".equals(text(facts, "systemctl")),
                text(facts, "loadState"), text(facts, "activeState"), text(facts, "subState"), since, started,
                text(facts, "execStart"), text(facts, "workingDirectory"), text(facts, "fragmentPath"),
                joined(sections.get("unit-file")), text(facts, "processDirectory"),
                Revision.parse(text(facts, "processRevision")).orElse(null),
                Revision.parse(text(facts, "served")).orElse(null));
        CloudInit cloudInit = new CloudInit(text(facts, "cloudInitLog"), "yes".equals(text(facts, "cloudInitLogExists")),
                text(facts, "cloudInitFinished"), nonBlank(sections.get("cloud-init-errors")),
                joined(sections.get("cloud-init-tail")));
        return new HostFacts(app, service, cloudInit, epoch(text(facts, "now")));
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() || v.asText().isBlank() ? null : v.asText();
    }

    private static Instant epoch(String seconds) {
        if (seconds == null || !seconds.matches("\\d{1,12}")) return null;
        long s = Long.parseLong(seconds);
        return s == 0 ? null : Instant.ofEpochSecond(s);
    }

    /** systemd's own format, used when the instance's date could not convert it ("Fri 2026-11-20 09:12:03 UTC"). */
    static Instant systemdTime(String text) {
        if (text == null) return null;
        try {
            return LocalDateTime.parse(text.strip(), SYSTEMD_UTC).toInstant(ZoneOffset.UTC);
        } catch (Exception e) {
            return null;
        }
    }

    private static List<String> nonBlank(List<String> lines) {
        return lines == null ? List.of() : lines.stream().filter(l -> !l.isBlank()).toList();
    }

    private static String joined(List<String> lines) {
        if (lines == null) return null;
        String s = String.join("\n", lines).strip();
        return s.isEmpty() ? null : s + "\n";
    }
}
