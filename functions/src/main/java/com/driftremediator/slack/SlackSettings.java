package com.driftremediator.slack;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Where messages go, from the Slack secret: {@code {"webhookUrl": "https://hooks.slack.com/services/..."}},
 * {@code {"botToken": "xoxb-...", "channel": "C0123456789"}}, or the bare webhook URL. Both values are secrets:
 * toString never shows them, and no error message quotes the secret's text.
 */
public sealed interface SlackSettings {

    record Webhook(String url) implements SlackSettings {
        @Override
        public String toString() {
            return "Webhook[url=***]";
        }
    }

    record Bot(String token, String channel) implements SlackSettings {
        @Override
        public String toString() {
            return "Bot[token=***, channel=" + channel + "]";
        }
    }

    /** The secret value it holds (the webhook URL or the bot token). */
    default String secret() {
        return this instanceof Webhook w ? w.url() : ((Bot) this).token();
    }

    static SlackSettings parse(String secretJson) {
        String text = secretJson == null ? "" : secretJson.strip();
        if (text.startsWith("https://")) return new Webhook(text); // a secret holding the bare webhook URL
        JsonNode n;
        try {
            n = BlockKit.JSON.readTree(secretJson);
        } catch (Exception e) {
            throw new IllegalArgumentException("the Slack secret is not JSON"); // the parser's message would quote it
        }
        if (n == null || !n.isObject()) throw new IllegalArgumentException("the Slack secret is not a JSON object");
        String webhook = n.path("webhookUrl").asText("");
        String token = n.path("botToken").asText("");
        String channel = n.path("channel").asText("");
        if (!webhook.isBlank()) {
            if (!webhook.startsWith("https://") && !webhook.startsWith("http://")) {
                throw new IllegalArgumentException("the Slack secret's webhookUrl is not an http(s) URL");
            }
            return new Webhook(webhook.strip());
        }
        if (!token.isBlank() && !channel.isBlank()) return new Bot(token.strip(), channel.strip());
        throw new IllegalArgumentException(
                "the Slack secret needs {\"webhookUrl\": ...} or {\"botToken\": ..., \"channel\": ...}");
    }
}
