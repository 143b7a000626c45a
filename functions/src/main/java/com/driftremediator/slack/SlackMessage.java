package com.driftremediator.slack;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * A rendered message: Block Kit blocks (at most 50) and the plain-text fallback {@code text} that
 * notifications, screen readers and old clients show.
 */
public final class SlackMessage {
    private final String text;
    private final ArrayNode blocks;

    SlackMessage(String text, List<ObjectNode> blocks) {
        this.text = BlockKit.plain(text, BlockKit.MAX_TEXT);
        this.blocks = BlockKit.JSON.createArrayNode();
        int keep = blocks.size() <= BlockKit.MAX_BLOCKS ? blocks.size() : BlockKit.MAX_BLOCKS - 1;
        blocks.stream().limit(keep).forEach(this.blocks::add);
        if (keep < blocks.size()) {
            this.blocks.add(BlockKit.context(List.of("_" + (blocks.size() - keep) + " more blocks left out_")));
        }
    }

    public String text() {
        return text;
    }

    /** The blocks (a copy). */
    public ArrayNode blocks() {
        return blocks.deepCopy();
    }

    /** The JSON body for an incoming webhook; chat.postMessage adds channel and thread_ts. A fresh copy each time. */
    public ObjectNode payload() {
        ObjectNode p = BlockKit.JSON.createObjectNode();
        p.put("text", text);
        p.set("blocks", blocks.deepCopy());
        p.put("unfurl_links", false);
        p.put("unfurl_media", false);
        return p;
    }

    public String toJson() {
        return payload().toString();
    }

    /** Pretty-printed payload, as a person (or a snapshot file) reads it. */
    public String toPrettyJson() {
        try {
            return BlockKit.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(payload());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
