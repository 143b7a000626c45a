package com.driftremediator.slack;

import com.driftremediator.domain.Outcome;
import com.driftremediator.domain.Report;
import com.driftremediator.domain.Revision;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The templates: one Block Kit message per {@link MessageKind}, built so the on-call reader sees in one glance
 * what was stale, what was done, whether the app is right now, and where the evidence is.
 * Layout: header, "now" + reason, facts (fields), diagnosis excerpt (failures), link buttons, context.
 */
public final class SlackRenderer {
    private static final int MAX_INSTANCE_LIST = 1500;
    private static final int MAX_REASON = 500;
    private static final String COMMAND_OUTPUT = "Command output";
    private static final DateTimeFormatter FALLBACK_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private SlackRenderer() {
    }

    public static SlackMessage render(Report r, RenderContext ctx) {
        MessageKind kind = MessageKind.of(r.outcome());
        Headline h = headline(kind, r, ctx);
        String reason = firstSentence(r.verdictReason());

        List<ObjectNode> blocks = new ArrayList<>();
        blocks.add(BlockKit.header(h.emoji() + " " + h.title()));
        blocks.add(BlockKit.section(h.now() + (reason.isEmpty() ? "" : "\n*Why:* " + BlockKit.fit(reason, MAX_REASON))));
        blocks.add(BlockKit.fields(facts(r, ctx)));
        if (kind.showsDiagnosis() && r.diagnosis() != null && !r.diagnosis().isBlank()) {
            blocks.add(diagnosis(r.diagnosis()));
        }
        List<BlockKit.Link> links = links(r, ctx);
        if (!links.isEmpty()) blocks.add(BlockKit.actions(links));
        blocks.add(BlockKit.context(context(r)));

        String fallback = h.emoji() + " " + h.title() + (reason.isEmpty() ? "" : ". " + reason);
        return new SlackMessage(BlockKit.fit(fallback, BlockKit.MAX_TEXT), blocks);
    }

    /** A plain-text rendering of a message for a terminal: inline links as their label, buttons as "label: url". */
    public static String preview(SlackMessage message) {
        StringBuilder out = new StringBuilder();
        for (JsonNode block : message.blocks()) {
            switch (block.path("type").asText()) {
                case "header" -> out.append("== ").append(block.path("text").path("text").asText()).append(" ==\n");
                case "section" -> {
                    if (block.has("text")) out.append(plainText(block.path("text").path("text").asText())).append('\n');
                    for (JsonNode f : block.path("fields")) {
                        out.append("  ").append(plainText(f.path("text").asText()).replaceFirst("\n", ": ")
                                .replace("\n", " ")).append('\n');
                    }
                }
                case "actions" -> {
                    for (JsonNode b : block.path("elements")) {
                        out.append("  -> ").append(b.path("text").path("text").asText()).append(": ")
                                .append(b.path("url").asText()).append('\n');
                    }
                }
                case "context" -> {
                    List<String> parts = new ArrayList<>();
                    block.path("elements").forEach(e -> parts.add(plainText(e.path("text").asText())));
                    out.append("  ").append(String.join(" · ", parts)).append('\n');
                }
                default -> out.append("--\n");
            }
        }
        return out.toString();
    }

    private record Headline(String emoji, String title, String now) {
    }

    private static Headline headline(MessageKind kind, Report r, RenderContext ctx) {
        String env = orElse(r.environment(), "unknown environment");
        String stack = orElse(r.stack(), "unknown stack");
        String desired = r.desired() == null ? "unknown revision" : r.desired().shortSha();
        String want = revision(r.desired(), ctx);
        String was = revision(r.previous(), ctx);
        String n = instances(r.instances().size());
        return switch (kind) {
            case DETECTED -> new Headline(":mag:", env + ": " + stack + " serves stale code, not redeployed",
                    "*Stale code detected, no redeploy sent:* " + n + " should serve " + want
                            + " (they serve " + was + ").");
            case STARTED -> new Headline(":arrows_counterclockwise:",
                    env + ": " + stack + " serves stale code, redeploying " + desired,
                    "*Redeploying " + want + "* on " + n + " (they serve " + was + "). The result follows.");
            case SUCCEEDED -> r.outcome() == Outcome.NOOP
                    ? new Headline(":white_check_mark:", env + ": " + stack + " already serves " + desired,
                    "*Already serving " + want + "* on " + n + ": nothing was redeployed.")
                    : new Headline(":white_check_mark:", env + ": " + stack + " remediated, now serves " + desired,
                    "*Now serving " + want + "* on " + n + " (was " + was + ").");
            case ROLLED_BACK -> new Headline(":rewind:", env + ": " + desired + " was unhealthy on " + stack + ", rolled back",
                    "*Serving " + was + " again:* " + want + " failed its health check and was rolled back."
                            + " It will not be retried automatically.");
            case FAILED -> new Headline(":x:", env + ": redeploy of " + desired + " to " + stack + " failed",
                    "*" + want + " is not deployed:* " + n + " may still serve " + was + "."
                            + " It will not be retried automatically.");
            case UNREACHABLE -> r.outcome() == Outcome.TIMED_OUT
                    ? new Headline(":hourglass:", env + ": redeploy of " + desired + " to " + stack + " timed out",
                    "*No result within the command timeout:* what " + n + " serve is unknown (desired " + want + ").")
                    : new Headline(":electric_plug:", env + ": instances of " + stack + " unreachable",
                    "*Could not reach " + n + ":* what they serve is unknown (desired " + want + ")."
                            + " Check the SSM agent and whether the instances run.");
        };
    }

    private static List<String> facts(Report r, RenderContext ctx) {
        List<String> fields = new ArrayList<>();
        fields.add("*Environment*\n" + BlockKit.fit(orElse(r.environment(), "unknown"), 200));
        fields.add("*Stack*\n" + BlockKit.fit(orElse(r.stack(), "unknown"), 300));
        fields.add("*Desired*\n" + revision(r.desired(), ctx));
        fields.add("*Previous*\n" + revision(r.previous(), ctx));
        fields.add("*Instances (" + r.instances().size() + ")*\n" + instanceList(r.instances()));
        if (r.startedAt() != null && r.finishedAt() != null) {
            fields.add("*Duration*\n" + duration(Duration.ofMillis(r.durationMs())));
        }
        if (r.revisionSource() != null && !r.revisionSource().isBlank()) {
            fields.add("*Revision from*\n" + BlockKit.fit(r.revisionSource(), 300));
        }
        return fields;
    }

    private static ObjectNode diagnosis(String diagnosis) {
        String open = "*Diagnosis*\n```\n";
        String close = "\n```";
        // a ``` inside the excerpt would end the code block early
        String excerpt = diagnosis.strip().replace("```", "'''");
        return BlockKit.section(open + BlockKit.fit(excerpt, BlockKit.MAX_TEXT - open.length() - close.length()) + close);
    }

    private static List<BlockKit.Link> links(Report r, RenderContext ctx) {
        List<BlockKit.Link> links = new ArrayList<>();
        new TreeMap<>(r.links()).forEach((name, url) ->
                RenderContext.httpUrl(url).ifPresent(u -> links.add(new BlockKit.Link(label(name), u))));
        boolean hasCommandOutput = links.stream().anyMatch(l -> l.label().equals(COMMAND_OUTPUT));
        if (!hasCommandOutput) {
            ctx.commandUrl(r.commandId()).ifPresent(u -> links.add(new BlockKit.Link(COMMAND_OUTPUT, u)));
        }
        ctx.loadBalancer().ifPresent(u -> links.add(new BlockKit.Link("Load balancer", u)));
        return links;
    }

    /** A button label for a report's link name: the publisher's short keys read as words ("command" -> "Command output"). */
    private static String label(String name) {
        String n = name.strip();
        if (n.equalsIgnoreCase("command") || n.equalsIgnoreCase(COMMAND_OUTPUT)) return COMMAND_OUTPUT;
        return n.isEmpty() ? "Link" : Character.toUpperCase(n.charAt(0)) + n.substring(1);
    }

    private static List<String> context(Report r) {
        List<String> parts = new ArrayList<>();
        parts.add("drift-remediator");
        if (r.commandId() != null) parts.add("command `" + BlockKit.fit(r.commandId(), 100) + "`");
        if (r.startedAt() != null) parts.add("started " + date(r.startedAt()));
        if (r.finishedAt() != null) parts.add("finished " + date(r.finishedAt()));
        return parts;
    }

    /** A short SHA, linked to the commit page when the repository is browsable. */
    private static String revision(Revision revision, RenderContext ctx) {
        if (revision == null) return "_unknown_";
        return ctx.commitUrl(revision).map(u -> "<" + u + "|" + revision.shortSha() + ">")
                .orElse("`" + revision.shortSha() + "`");
    }

    private static String instanceList(List<String> ids) {
        if (ids.isEmpty()) return "_none reported_";
        StringBuilder out = new StringBuilder();
        int shown = 0;
        for (String id : ids) {
            String piece = (shown == 0 ? "" : ", ") + BlockKit.fit(id, 40);
            if (out.length() + piece.length() > MAX_INSTANCE_LIST - 20) break;
            out.append(piece);
            shown++;
        }
        return shown < ids.size() ? out + " and " + (ids.size() - shown) + " more" : out.toString();
    }

    private static String instances(int count) {
        return switch (count) {
            case 0 -> "the instances";
            case 1 -> "1 instance";
            default -> count + " instances";
        };
    }

    /** Slack shows the date in the reader's time zone; the fallback is UTC. */
    private static String date(Instant at) {
        return "<!date^" + at.getEpochSecond() + "^{date_short_pretty} {time}|" + FALLBACK_TIME.format(at) + ">";
    }

    static String duration(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) return ms + " ms";
        long s = d.toSeconds();
        if (s < 60) return s + " s";
        if (s < 3600) return (s / 60) + " min " + (s % 60) + " s";
        return (s / 3600) + " h " + (s % 3600 / 60) + " min";
    }

    /** The verdict reason in one sentence: up to the first sentence end or line break. */
    static String firstSentence(String text) {
        if (text == null) return "";
        String t = text.strip();
        int end = t.length();
        for (String stop : new String[]{". ", ".\n", "\n"}) {
            int i = t.indexOf(stop);
            if (i >= 0 && i < end) end = i;
        }
        return t.substring(0, end).strip().replaceFirst("\\.$", "");
    }

    private static String plainText(String mrkdwn) {
        return mrkdwn.replaceAll("<!date\\^[^|>]*\\|([^>]*)>", "$1")
                .replaceAll("<[^|>]+\\|([^>]*)>", "$1")
                .replace("```\n", "").replace("\n```", "")
                .replace("*", "")
                .replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }

    private static String orElse(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }
}
