package com.driftremediator.domain;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * An instance's UserData decoded the way cloud-init reads it: base64 (as EC2 returns it), gzip, MIME multipart,
 * and {@code #cloud-config} turned into the commands cloud-init would run.
 *
 * @param present whether the instance has any UserData
 * @param parts   the parts cloud-init handles, in order
 * @param notes   how it was encoded ("gzip-compressed", "MIME multipart with 2 parts") and what looked wrong
 */
public record UserData(boolean present, List<Part> parts, List<String> notes) {
    private static final int MAX_BYTES = 64 * 1024; // EC2 caps UserData at 16 KB; gzip may expand it
    private static final Pattern BASE64 = Pattern.compile("^[A-Za-z0-9+/=\\s]+$");

    /** One handled part: {@code type} is cloud-init's content type, {@code content} the decoded text. */
    public record Part(String type, String filename, String content) {
        public boolean cloudConfig() {
            return type.equals("text/cloud-config");
        }

        /** For #cloud-config: the commands and files cloud-init derives from it; otherwise the content itself. */
        public String rendered() {
            return cloudConfig() ? CloudConfig.render(content) : content;
        }
    }

    public UserData {
        parts = List.copyOf(parts);
        notes = List.copyOf(notes);
    }

    public static UserData none() {
        return new UserData(false, List.of(), List.of());
    }

    /** From the base64 text that EC2 DescribeInstanceAttribute(userData) returns; null or blank means none. */
    public static UserData decode(String base64) {
        if (base64 == null || base64.isBlank()) return none();
        List<String> notes = new ArrayList<>();
        byte[] raw = null;
        if (BASE64.matcher(base64).matches()) { // the MIME decoder would skip foreign characters silently
            try {
                raw = Base64.getMimeDecoder().decode(base64.strip());
            } catch (IllegalArgumentException e) {
                raw = null;
            }
        }
        if (raw == null) {
            notes.add("not base64: shown as received");
            raw = base64.getBytes(StandardCharsets.UTF_8);
        }
        List<Part> parts = new ArrayList<>();
        unwrap(raw, null, null, parts, notes, 0);
        return new UserData(true, parts, notes);
    }

    /** The whole of it as one readable text: every part with a header line, cloud-config rendered. */
    public String script() {
        if (!present) return "";
        if (parts.size() == 1) return parts.get(0).rendered();
        StringBuilder b = new StringBuilder();
        for (Part p : parts) {
            b.append("# ---- part ").append(p.type()).append(p.filename() == null ? "" : " " + p.filename())
                    .append(" ----\n").append(p.rendered());
            if (!p.rendered().endsWith("\n")) b.append('\n');
        }
        return b.toString();
    }

    /**
     * What makes any of it run again after the first boot, or installs something that updates the app later.
     * Empty means: it ran once, at first boot, and nothing on the instance updates the app.
     */
    public List<String> updaters() {
        List<String> found = new ArrayList<>();
        for (Part p : parts) {
            String t = p.content().toLowerCase(Locale.ROOT);
            if (p.type().equals("text/cloud-boothook")) found.add("a cloud-boothook part (runs on every boot)");
            if (p.type().equals("text/x-shellscript-per-boot") || t.contains("/scripts/per-boot")) found.add("a per-boot script");
            if (t.matches("(?s).*scripts[-_]user\\s*,\\s*always.*")) found.add("scripts-user set to run on every boot");
            if (t.contains("cfn-hup")) found.add("cfn-hup (re-runs on stack metadata changes)");
            if (t.contains("crontab") || t.contains("/etc/cron")) found.add("a cron job");
            if (t.contains("oncalendar") || t.contains(".timer")) found.add("a systemd timer");
            if (t.contains("codedeploy-agent")) found.add("the CodeDeploy agent");
        }
        return found.stream().distinct().toList();
    }

    /** Whether a part fetches or installs the app (git clone, pip install). */
    public boolean installsApp() {
        return parts.stream().map(Part::content).anyMatch(c -> c.contains("git clone") || c.contains("pip install")
                || c.contains("pip3 install"));
    }

    private static void unwrap(byte[] data, String type, String filename, List<Part> parts, List<String> notes,
                               int depth) {
        if (depth > 4) {
            notes.add("nested too deeply: stopped decoding");
            return;
        }
        if (isGzip(data)) {
            notes.add("gzip-compressed");
            unwrap(gunzip(data), type, filename, parts, notes, depth + 1);
            return;
        }
        String text = new String(data, StandardCharsets.UTF_8);
        String head = text.stripLeading();
        if (looksBase64Again(head)) {
            notes.add("base64-encoded twice (cloud-init would not decode the second layer)");
            unwrap(Base64.getMimeDecoder().decode(head.strip()), type, filename, parts, notes, depth + 1);
            return;
        }
        String lower = head.toLowerCase(Locale.ROOT);
        if (lower.startsWith("content-type:")
                || lower.startsWith("mime-version:")) {
            multipart(text, parts, notes, depth);
        } else if (type != null && !type.equals("text/plain") && !type.startsWith("application/")) {
            parts.add(new Part(type, filename, text));
        } else {
            parts.add(new Part(typeOf(head), filename, text));
        }
    }

    /** cloud-init picks a handler from the first line when the part has no explicit type. */
    private static String typeOf(String text) {
        if (text.startsWith("#cloud-config")) return "text/cloud-config";
        if (text.startsWith("#!")) return "text/x-shellscript";
        if (text.startsWith("#cloud-boothook")) return "text/cloud-boothook";
        if (text.startsWith("#include")) return "text/x-include-url";
        if (text.startsWith("## template: jinja")) return "text/jinja2";
        return "text/plain";
    }

    private static void multipart(String text, List<Part> parts, List<String> notes, int depth) {
        String[] split = text.replace("\r\n", "\n").split("\n\n", 2);
        Map<String, String> headers = headers(split[0]);
        String boundary = param(headers.getOrDefault("content-type", ""), "boundary");
        if (boundary == null || split.length < 2) {
            notes.add("MIME message without a boundary: shown as text");
            parts.add(new Part("text/plain", null, text));
            return;
        }
        int before = parts.size();
        String delimiter = "--" + boundary;
        String body = "\n" + split[1];
        int end = body.indexOf("\n" + delimiter + "--");
        if (end >= 0) body = body.substring(0, end);
        String[] chunks = body.split("\n" + Pattern.quote(delimiter) + "[ \t]*\n", -1);
        for (int i = 1; i < chunks.length; i++) {
            String[] hb = chunks[i].split("\n\n", 2);
            Map<String, String> h = headers(hb[0]);
            String content = hb.length > 1 ? hb[1] : "";
            String contentType = h.getOrDefault("content-type", "text/plain");
            String partType = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
            String name = param(h.getOrDefault("content-disposition", ""), "filename");
            if (name == null) name = param(contentType, "name");
            byte[] bytes = "base64".equalsIgnoreCase(h.getOrDefault("content-transfer-encoding", "").strip())
                    ? Base64.getMimeDecoder().decode(content.strip())
                    : content.getBytes(StandardCharsets.UTF_8);
            unwrap(bytes, partType, name, parts, notes, depth + 1);
        }
        notes.add("MIME multipart with " + (parts.size() - before) + " part(s)");
    }

    /** Header names lower-cased; folded continuation lines joined. */
    private static Map<String, String> headers(String block) {
        Map<String, String> h = new LinkedHashMap<>();
        String last = null;
        for (String line : block.split("\n")) {
            if (!line.isEmpty() && Character.isWhitespace(line.charAt(0)) && last != null) {
                h.put(last, h.get(last) + " " + line.strip());
            } else if (line.contains(":")) {
                last = line.substring(0, line.indexOf(':')).strip().toLowerCase(Locale.ROOT);
                h.put(last, line.substring(line.indexOf(':') + 1).strip());
            }
        }
        return h;
    }

    private static String param(String header, String name) {
        Matcher m = Pattern.compile("(?i)(?:^|;)\\s*" + name + "=(\"([^\"]*)\"|[^;\\s]+)").matcher(header);
        if (!m.find()) return null;
        return m.group(2) != null ? m.group(2) : m.group(1);
    }

    private static boolean looksBase64Again(String text) {
        String s = text.strip();
        if (s.length() < 16 || !BASE64.matcher(s).matches()) return false;
        try {
            byte[] inner = Base64.getMimeDecoder().decode(s);
            String t = new String(inner, StandardCharsets.UTF_8);
            return isGzip(inner) || t.startsWith("#") || t.regionMatches(true, 0, "Content-Type:", 0, 13);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean isGzip(byte[] data) {
        return data.length > 2 && (data[0] & 0xff) == 0x1f && (data[1] & 0xff) == 0x8b;
    }

    private static byte[] gunzip(byte[] data) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(data))) {
            return in.readNBytes(MAX_BYTES);
        } catch (IOException e) {
            return ("# gzip data that could not be decompressed: " + e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8);
        }
    }
}
