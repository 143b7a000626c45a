package com.driftremediator.slack;

import com.driftremediator.domain.Outcome;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.LongSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The client against a Slack endpoint on loopback that answers 429, 500, slowly or with errors on demand. */
class SlackClientIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final FakeSlack SLACK = start();
    private static final SlackMessage MESSAGE = SlackRenderer.render(Reports.report(Outcome.FAILED), Reports.CONTEXT);

    private final List<Long> waits = new ArrayList<>();
    private final List<String> log = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeEach
    void reset() {
        SLACK.reset();
    }

    @AfterAll
    static void stop() {
        SLACK.close();
    }

    @Test
    void aWebhookGetsThePayloadOnceAfter429And500() {
        SLACK.answer(FakeSlack.Answer.tooManyRequests(3), FakeSlack.Answer.status(500), FakeSlack.Answer.status(503));

        Optional<String> ts = webhook().post(MESSAGE, null, false, () -> 60_000, log::add);

        assertThat(ts).isEmpty();
        assertThat(SLACK.requests()).hasSize(4).allSatisfy(r -> {
            assertThat(r.path()).isEqualTo(FakeSlack.WEBHOOK_PATH);
            assertThat(r.header("Content-Type")).isEqualTo("application/json; charset=utf-8");
            assertThat(r.body()).isEqualTo(MESSAGE.toJson());
        });
        assertThat(waits.get(0)).as("Retry-After: 3").isEqualTo(3_000);
        assertThat(waits.get(1)).as("backoff after attempt 2, with jitter").isBetween(250L, 500L);
        assertThat(waits.get(2)).as("backoff after attempt 3, with jitter").isBetween(500L, 1000L);
        assertThat(log).containsExactly(
                "Slack webhook: HTTP 429 on attempt 1, retrying in 3000 ms",
                "Slack webhook: HTTP 500 on attempt 2, retrying in " + waits.get(1) + " ms",
                "Slack webhook: HTTP 503 on attempt 3, retrying in " + waits.get(2) + " ms");
    }

    @Test
    void aRealRetryAfterIsWaitedFor() {
        SLACK.answer(FakeSlack.Answer.tooManyRequests(1));
        SlackClient client = SlackClient.create(new SlackSettings.Webhook(SLACK.webhookUrl()), SLACK.base());
        long start = System.nanoTime();
        client.post(MESSAGE, null, false, () -> 30_000, log::add);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(SLACK.requests()).hasSize(2);
    }

    @Test
    void aSlowAnswerTimesOutAndIsRetried() {
        SLACK.answer(FakeSlack.Answer.slow(3_000));
        LongSupplier left = () -> SlackClient.SAFETY_MS + 2_000; // so one attempt may take 2 s at most
        webhook().post(MESSAGE, null, false, left, log::add);
        assertThat(SLACK.requests()).hasSize(2);
        assertThat(log.get(0)).startsWith("Slack webhook: HttpTimeoutException on attempt 1");
    }

    @Test
    void aPermanentFailureThrowsWhenTheTimeIsUpWithoutNamingTheUrl() {
        SLACK.always(FakeSlack.Answer.status(500));
        Countdown clock = new Countdown(20_000);
        SlackClient client = new SlackClient(new SlackSettings.Webhook(SLACK.webhookUrl()), SLACK.base(), http,
                clock::advance, new Random(7));

        assertThatThrownBy(() -> client.post(MESSAGE, null, false, clock, log::add))
                .isInstanceOf(SlackDeliveryException.class)
                .hasMessageMatching("Slack webhook: HTTP 500 on attempt \\d+; waiting \\d+ ms more would exceed the time left")
                .message().doesNotContain(SLACK.webhookUrl()).doesNotContain("s3cr3t");
        assertThat(SLACK.requests().size()).isGreaterThan(4);
        assertThat(clock.getAsLong()).as("gave up with time to spare").isGreaterThan(SlackClient.SAFETY_MS);
        assertThat(String.join("\n", log)).doesNotContain("s3cr3t").doesNotContain("/services/");
    }

    @Test
    void aRetryAfterLongerThanTheTimeLeftFailsAtOnce() {
        SLACK.answer(FakeSlack.Answer.tooManyRequests(30));
        assertThatThrownBy(() -> webhook().post(MESSAGE, null, false, () -> 10_000, log::add))
                .hasMessage("Slack webhook: HTTP 429 on attempt 1; waiting 30000 ms more would exceed the time left");
        assertThat(waits).isEmpty();
    }

    @Test
    void refusalsAreNotRetried() {
        SLACK.answer(FakeSlack.Answer.body(404, "channel_not_found"));
        assertThatThrownBy(() -> webhook().post(MESSAGE, null, false, () -> 60_000, log::add))
                .hasMessage("Slack webhook refused the message: HTTP 404 (channel_not_found)");
        assertThat(SLACK.requests()).hasSize(1);
    }

    @Test
    void aBotPostsToTheChannelInTheThreadAndGetsTheTs() throws IOException {
        SlackClient bot = new SlackClient(new SlackSettings.Bot("xoxb-s3cr3t-token", "C0123456789"), SLACK.base(), http,
                waits::add, new Random(7));
        SLACK.answer(FakeSlack.Answer.tooManyRequests(1));

        Optional<String> ts = bot.post(MESSAGE, "1764252180.000100", true, () -> 60_000, log::add);

        assertThat(ts).hasValueSatisfying(t -> assertThat(t).startsWith("1764252180.00010"));
        FakeSlack.Request last = SLACK.requests().get(1);
        assertThat(last.path()).isEqualTo("/chat.postMessage");
        assertThat(last.header("Authorization")).isEqualTo("Bearer xoxb-s3cr3t-token");
        JsonNode body = JSON.readTree(last.body());
        assertThat(body.path("channel").asText()).isEqualTo("C0123456789");
        assertThat(body.path("thread_ts").asText()).isEqualTo("1764252180.000100");
        assertThat(body.path("reply_broadcast").asBoolean()).isTrue();
        assertThat(body.path("blocks")).isEqualTo(MESSAGE.blocks());
        assertThat(String.join("\n", log)).doesNotContain("s3cr3t");
    }

    @Test
    void aBotErrorIsPermanentUnlessSlackSaysItIsTransient() {
        SlackClient bot = new SlackClient(new SlackSettings.Bot("xoxb-s3cr3t-token", "C0123456789"), SLACK.base(), http,
                waits::add, new Random(7));
        SLACK.answer(FakeSlack.Answer.body(200, "{\"ok\":false,\"error\":\"internal_error\"}"),
                FakeSlack.Answer.body(200, "{\"ok\":false,\"error\":\"invalid_auth\"}"));
        assertThatThrownBy(() -> bot.post(MESSAGE, null, false, () -> 60_000, log::add))
                .hasMessage("chat.postMessage refused the message: error (invalid_auth)")
                .message().doesNotContain("s3cr3t");
        assertThat(SLACK.requests()).hasSize(2);
    }

    private SlackClient webhook() {
        return new SlackClient(new SlackSettings.Webhook(SLACK.webhookUrl()), SLACK.base(), http, waits::add, new Random(7));
    }

    /** A remaining-time budget that waits spend instantly, so giving up at the deadline is tested without waiting. */
    private static final class Countdown implements LongSupplier {
        private long left;

        Countdown(long left) {
            this.left = left;
        }

        void advance(long ms) {
            left -= ms;
        }

        @Override
        public long getAsLong() {
            return left;
        }
    }

    private static FakeSlack start() {
        try {
            return new FakeSlack();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
