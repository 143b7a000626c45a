package com.driftremediator.github;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class WebhookSignatureTest {
    // GitHub's published test vector (docs: "Validating webhook deliveries").
    private static final byte[] SECRET = "It's a Secret to Everybody".getBytes(StandardCharsets.UTF_8);
    private static final byte[] BODY = "Hello, World!".getBytes(StandardCharsets.UTF_8);
    private static final String EXPECTED = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

    @Test
    void signsGitHubsTestVector() {
        assertThat(WebhookSignature.sign(SECRET, BODY)).isEqualTo(EXPECTED);
    }

    @Test
    void acceptsGitHubsTestVector() {
        assertThat(WebhookSignature.matches(SECRET, BODY, EXPECTED)).isTrue();
    }

    @Test
    void acceptsUpperCaseHexAndPrefix() {
        assertThat(WebhookSignature.matches(SECRET, BODY, EXPECTED.toUpperCase())).isTrue();
    }

    @Test
    void rejectsAnotherSecretOrBody() {
        assertThat(WebhookSignature.matches("another".getBytes(StandardCharsets.UTF_8), BODY, EXPECTED)).isFalse();
        assertThat(WebhookSignature.matches(SECRET, "Hello, World?".getBytes(StandardCharsets.UTF_8), EXPECTED)).isFalse();
    }

    @Test
    void rejectsMalformedHeaders() {
        String hex = EXPECTED.substring("sha256=".length());
        assertThat(WebhookSignature.matches(SECRET, BODY, null)).isFalse();
        assertThat(WebhookSignature.matches(SECRET, BODY, hex)).as("no prefix").isFalse();
        assertThat(WebhookSignature.matches(SECRET, BODY, "sha1=" + hex)).isFalse();
        assertThat(WebhookSignature.matches(SECRET, BODY, "sha256=" + hex.substring(2))).as("truncated").isFalse();
        assertThat(WebhookSignature.matches(SECRET, BODY, "sha256=" + hex + "00")).as("too long").isFalse();
        assertThat(WebhookSignature.matches(SECRET, BODY, "sha256=zz" + hex.substring(2))).as("not hex").isFalse();
        assertThat(WebhookSignature.matches(SECRET, BODY, "sha256=")).isFalse();
    }
}
