package com.driftremediator.github;

import static org.assertj.core.api.Assertions.assertThat;

import com.driftremediator.testing.JsonMutants;
import com.driftremediator.testing.ProjectPaths;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Signed payloads nobody wrote a fixture for: every field of GitHub's own examples removed, or replaced by another
 * type or a hostile value. The webhook answers each with a status GitHub understands and a reason, never fails
 * inside, and whatever it forwards names the followed repository and branch and a full commit SHA.
 */
class GitHubWebhookMutationTest {
    private static final String SECRET = "test-webhook-secret";
    private static final Pattern FULL_SHA = Pattern.compile("[0-9a-f]{40}");

    @ParameterizedTest
    @ValueSource(strings = {"octokit/push-branch-created.json", "octokit/push-tag-created.json",
            "octokit/push-tag-deleted.json", "octokit/ping.json", "events/github-push.json"})
    void everySignedMutationGetsAClearAnswer(String payload) throws IOException {
        // events/github-push.json is the Function URL event: its body is the payload GitHub signed
        String original = payload.startsWith("events/")
                ? new ObjectMapper().readTree(
                        Files.readString(ProjectPaths.root().resolve(payload))).get("body").asText()
                : resource("/" + payload);
        String repository = original.contains("Codertocat/Hello-World") ? "Codertocat/Hello-World" : "example/streamr-p2p";
        String branch = repository.startsWith("Codertocat") ? "master" : "main";
        WebhookFakes.Bus bus = new WebhookFakes.Bus();
        GitHubWebhook webhook = new GitHubWebhook(new WebhookSettings(repository, branch, 64 * 1024),
                new WebhookFakes.Secrets(SECRET), new WebhookFakes.Deliveries(), bus, Clock.systemUTC(),
                Duration.ofSeconds(10));
        String event = payload.contains("ping") ? "ping" : "push";

        for (String mutant : JsonMutants.of(original)) {
            WebhookResponse answer = webhook.handle(signed(event, mutant));

            assertThat(answer.status()).as(JsonMutants.shown(mutant)).isIn(200, 202, 400, 413);
            if (answer.status() >= 400) assertThat(answer.reason()).as(JsonMutants.shown(mutant)).isNotBlank();
            if (answer.reason() != null) assertThat(answer.reason()).as("short enough for a log line").hasSizeLessThan(1_000);
        }
        boolean originalForwards = webhook.handle(signed(event, original)).status() == 202;
        if (originalForwards) assertThat(bus.published).as("mutants of unread fields still forward").hasSizeGreaterThan(1);
        for (GitPush forwarded : bus.published) {
            assertThat(forwarded.repository()).isEqualToIgnoringCase(repository);
            assertThat(forwarded.branch()).isEqualTo(branch);
            assertThat(forwarded.after()).matches(FULL_SHA);
        }
    }

    private static WebhookRequest signed(String event, String body) {
        Map<String, String> headers = new HashMap<>();
        headers.put("content-type", "application/json");
        headers.put("x-github-event", event);
        headers.put("x-github-delivery", UUID.randomUUID().toString());
        headers.put("x-hub-signature-256", WebhookSignature.sign(SECRET.getBytes(StandardCharsets.UTF_8),
                body.getBytes(StandardCharsets.UTF_8)));
        return new WebhookRequest(headers, body, false);
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = GitHubWebhookMutationTest.class.getResourceAsStream(name)) {
            if (in == null) throw new IOException("no test resource " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
