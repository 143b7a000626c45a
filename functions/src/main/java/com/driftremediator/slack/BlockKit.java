package com.driftremediator.slack;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * Block Kit building blocks that keep Slack's limits by construction: a message Slack rejects
 * ({@code invalid_blocks}) would be lost for the on-call reader, so every text is cut rather than refused.
 */
final class BlockKit {
    static final int MAX_BLOCKS = 50;
    static final int MAX_TEXT = 3000;
    static final int MAX_HEADER = 150;
    static final int MAX_FIELD = 2000;
    static final int MAX_FIELDS = 10;
    static final int MAX_CONTEXT_ELEMENTS = 10;
    static final int MAX_BUTTONS = 25;
    static final int MAX_BUTTON_TEXT = 75;
    static final String ELLIPSIS = "…";

    static final ObjectMapper JSON = new ObjectMapper();

    private BlockKit() {
    }

    /** The three characters Slack's mrkdwn reserves for links and mentions. */
    static String escape(String raw) {
        return raw.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** Escapes raw text and cuts it so the escaped form is at most max characters (ending with … when cut). */
    static String fit(String raw, int max) {
        if (escape(raw).length() <= max) return escape(raw);
        StringBuilder out = new StringBuilder();
        int budget = max - ELLIPSIS.length();
        for (int i = 0; i < raw.length(); ) {
            int cp = raw.codePointAt(i);
            String piece = escape(new String(Character.toChars(cp)));
            if (out.length() + piece.length() > budget) break;
            out.append(piece);
            i += Character.charCount(cp);
        }
        return out.append(ELLIPSIS).toString();
    }

    /** Cuts already-composed mrkdwn without splitting an entity such as {@code &amp;} or a surrogate pair. */
    static String cap(String mrkdwn, int max) {
        if (mrkdwn.length() <= max) return mrkdwn;
        int end = max - ELLIPSIS.length();
        if (Character.isLowSurrogate(mrkdwn.charAt(end))) end--;
        int amp = mrkdwn.lastIndexOf('&', end - 1);
        if (amp >= 0 && amp > end - 5 && mrkdwn.indexOf(';', amp) >= end) end = amp;
        return mrkdwn.substring(0, end) + ELLIPSIS;
    }

    /** Plain text (headers, buttons, the fallback) cut to max characters. */
    static String plain(String text, int max) {
        return cap(text, max);
    }

    static ObjectNode header(String plainText) {
        ObjectNode block = JSON.createObjectNode().put("type", "header");
        block.set("text", text("plain_text", plain(plainText, MAX_HEADER)).put("emoji", true));
        return block;
    }

    static ObjectNode section(String mrkdwn) {
        ObjectNode block = JSON.createObjectNode().put("type", "section");
        block.set("text", text("mrkdwn", cap(mrkdwn, MAX_TEXT)));
        return block;
    }

    static ObjectNode fields(List<String> mrkdwn) {
        ObjectNode block = JSON.createObjectNode().put("type", "section");
        ArrayNode fields = block.putArray("fields");
        mrkdwn.stream().limit(MAX_FIELDS).forEach(f -> fields.add(text("mrkdwn", cap(f, MAX_FIELD))));
        return block;
    }

    static ObjectNode context(List<String> mrkdwn) {
        ObjectNode block = JSON.createObjectNode().put("type", "context");
        ArrayNode elements = block.putArray("elements");
        mrkdwn.stream().limit(MAX_CONTEXT_ELEMENTS).forEach(e -> elements.add(text("mrkdwn", cap(e, MAX_TEXT))));
        return block;
    }

    record Link(String label, String url) {
    }

    static ObjectNode actions(List<Link> links) {
        ObjectNode block = JSON.createObjectNode().put("type", "actions");
        ArrayNode elements = block.putArray("elements");
        links.stream().filter(l -> l.url().length() <= MAX_TEXT).limit(MAX_BUTTONS).forEach(l -> {
            ObjectNode button = elements.addObject().put("type", "button");
            button.set("text", text("plain_text", plain(l.label(), MAX_BUTTON_TEXT)));
            button.put("url", l.url());
        });
        return block;
    }

    static ObjectNode divider() {
        return JSON.createObjectNode().put("type", "divider");
    }

    private static ObjectNode text(String type, String text) {
        return JSON.createObjectNode().put("type", type).put("text", text);
    }
}
