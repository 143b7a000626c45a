package com.driftremediator.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/** Renders a {@code #cloud-config} document as what cloud-init would do with it, in the order it does it. */
final class CloudConfig {
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final Set<String> RENDERED = Set.of("bootcmd", "packages", "package_update", "package_upgrade",
            "write_files", "runcmd");
    private static final int MAX_FILE_LINES = 40;

    private CloudConfig() {
    }

    static String render(String text) {
        JsonNode doc;
        try {
            doc = YAML.readTree(text);
        } catch (IOException e) {
            return "# #cloud-config that is not valid YAML (cloud-init would ignore it): "
                    + e.getMessage().lines().findFirst().orElse("") + "\n" + text;
        }
        if (doc == null || !doc.isObject()) return "# empty #cloud-config\n";
        StringBuilder b = new StringBuilder("# #cloud-config, as cloud-init runs it\n");
        commands(b, doc.get("bootcmd"), "bootcmd (every boot, early)");
        List<String> packages = new ArrayList<>();
        doc.path("packages").forEach(p -> packages.add(p.isArray() ? join(p, "=") : p.asText()));
        if (doc.path("package_update").asBoolean(false) || doc.path("package_upgrade").asBoolean(false)) {
            b.append("# package_update").append(doc.path("package_upgrade").asBoolean(false) ? " + upgrade" : "")
                    .append(" (first boot)\n");
        }
        if (!packages.isEmpty()) {
            b.append("# packages (first boot): ").append(String.join(" ", packages)).append('\n');
        }
        for (JsonNode f : doc.path("write_files")) {
            String content = fileContent(f);
            b.append("# write_files: ").append(f.path("path").asText("?"))
                    .append(f.hasNonNull("permissions") ? " mode " + f.get("permissions").asText() : "")
                    .append(f.hasNonNull("owner") ? " owner " + f.get("owner").asText() : "")
                    .append(f.path("append").asBoolean(false) ? " (append)" : "")
                    .append(f.path("defer").asBoolean(false) ? " (after users and packages)" : "").append('\n');
            String[] lines = content.split("\n", -1);
            for (int i = 0; i < Math.min(lines.length, MAX_FILE_LINES); i++) {
                if (i == lines.length - 1 && lines[i].isEmpty()) break;
                b.append("#   | ").append(lines[i]).append('\n');
            }
            if (lines.length > MAX_FILE_LINES) b.append("#   | ... ").append(lines.length - MAX_FILE_LINES).append(" more lines\n");
        }
        commands(b, doc.get("runcmd"), "runcmd (first boot only, as a shell script)");
        List<String> others = new ArrayList<>();
        doc.fieldNames().forEachRemaining(n -> {
            if (!RENDERED.contains(n)) others.add(n);
        });
        if (!others.isEmpty()) b.append("# other modules: ").append(String.join(", ", others)).append('\n');
        return b.toString();
    }

    /** A list entry is a command line; an entry that is itself a list is argv, which cloud-init shell-quotes. */
    private static void commands(StringBuilder b, JsonNode list, String title) {
        if (list == null || !list.isArray() || list.isEmpty()) return;
        b.append("# ").append(title).append('\n');
        for (JsonNode c : list) {
            b.append(c.isArray() ? join(c, " ") : c.asText()).append('\n');
        }
    }

    private static String join(JsonNode argv, String sep) {
        List<String> words = new ArrayList<>();
        argv.forEach(a -> words.add(sep.equals(" ") ? quote(a.asText()) : a.asText()));
        return String.join(sep, words);
    }

    private static String quote(String word) {
        return word.matches("[A-Za-z0-9_@%+=:,./-]+") ? word : "'" + word.replace("'", "'\\''") + "'";
    }

    private static String fileContent(JsonNode f) {
        String content = f.path("content").asText("");
        String encoding = f.path("encoding").asText("text").toLowerCase();
        try {
            byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
            if (encoding.contains("b64") || encoding.contains("base64")) bytes = Base64.getMimeDecoder().decode(content.strip());
            if (encoding.startsWith("gz")) {
                try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
                    bytes = in.readNBytes(64 * 1024);
                }
            }
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException | IllegalArgumentException e) {
            return "(content with encoding " + encoding + " that could not be decoded)";
        }
    }
}
