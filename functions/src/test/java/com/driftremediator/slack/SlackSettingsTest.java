package com.driftremediator.slack;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SlackSettingsTest {
    private static final String URL = "https://hooks.slack.com/services/T000/B000/s3cr3t";

    @Test
    void aWebhookSecret() {
        SlackSettings s = SlackSettings.parse("{\"webhookUrl\": \"" + URL + "\"}");
        assertThat(s).isEqualTo(new SlackSettings.Webhook(URL));
        assertThat(s.secret()).isEqualTo(URL);
        assertThat(s.toString()).doesNotContain("s3cr3t");
    }

    @Test
    void aSecretHoldingOnlyTheWebhookUrl() {
        assertThat(SlackSettings.parse(URL + "\n")).isEqualTo(new SlackSettings.Webhook(URL));
    }

    @Test
    void aBotTokenAndChannel() {
        SlackSettings s = SlackSettings.parse("{\"botToken\": \"xoxb-1-s3cr3t\", \"channel\": \"C0123456789\"}");
        assertThat(s).isEqualTo(new SlackSettings.Bot("xoxb-1-s3cr3t", "C0123456789"));
        assertThat(s.toString()).doesNotContain("s3cr3t").contains("C0123456789");
    }

    @Test
    void badSecretsAreRefusedWithoutQuotingThem() {
        assertThatThrownBy(() -> SlackSettings.parse("{\"webhookUrl\": \"" + URL)).hasMessage("the Slack secret is not JSON");
        assertThatThrownBy(() -> SlackSettings.parse("hooks.slack.com/s3cr3t")).message().doesNotContain("s3cr3t");
        assertThatThrownBy(() -> SlackSettings.parse("{\"webhookUrl\": \"hooks.slack.com/s3cr3t\"}"))
                .message().contains("not an http(s) URL").doesNotContain("s3cr3t");
        assertThatThrownBy(() -> SlackSettings.parse("{\"botToken\": \"xoxb-s3cr3t\"}"))
                .message().contains("\"channel\"").doesNotContain("s3cr3t");
    }
}
