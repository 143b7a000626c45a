package com.driftremediator.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Posts a message to an incoming webhook or through {@code chat.postMessage}, within the time the caller has
 * left: honours {@code Retry-After} on 429, retries 5xx, timeouts and connection errors with exponential backoff
 * and jitter, and throws {@link SlackDeliveryException} when Slack refuses for good or time runs out.
 * The webhook URL and the token never go into a log line or an exception message.
 */
public final class SlackClient {
    public static final URI SLACK_API = URI.create("https://slack.com/api/");

    /** Kept back from the time left, to release the dedupe claim and return the error before Lambda's timeout. */
    static final long SAFETY_MS = 1_500;
    private static final long MIN_ATTEMPT_MS = 500;
    private static final long MAX_REQUEST_MS = 10_000;
    private static final long BASE_BACKOFF_MS = 250;
    private static final long MAX_BACKOFF_MS = 8_000;
    private static final long DEFAULT_RETRY_AFTER_MS = 1_000;
    /** chat.postMessage errors (HTTP 200, ok=false) that a later attempt may not get. */
    private static final Set<String> TRANSIENT_ERRORS =
            Set.of("ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout");

    /** Waits between attempts; tests record the waits instead of sleeping. */
    public interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    private final SlackSettings settings;
    private final URI api;
    private final HttpClient http;
    private final Sleeper sleeper;
    private final Random random;

    public SlackClient(SlackSettings settings, URI api, HttpClient http, Sleeper sleeper, Random random) {
        this.settings = settings;
        this.api = api;
        this.http = http;
        this.sleeper = sleeper;
        this.random = random;
    }

    public static SlackClient create(SlackSettings settings, URI api) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(3)).build();
        return new SlackClient(settings, api, http, Thread::sleep, new Random());
    }

    /** Only a bot token gets a message ts back, which threading needs. */
    public boolean threads() {
        return settings instanceof SlackSettings.Bot;
    }

    /**
     * Posts the message, under {@code threadTs} when given (bot only; {@code broadcast} also shows it in the
     * channel). Returns the posted message's ts for a bot, empty for a webhook.
     */
    public Optional<String> post(SlackMessage message, String threadTs, boolean broadcast, LongSupplier remainingMillis,
                                 Consumer<String> log) {
        HttpRequest.Builder request = request(message, threadTs, broadcast);
        String last = "no attempt";
        for (int attempt = 1; ; attempt++) {
            long left = remainingMillis.getAsLong() - SAFETY_MS;
            if (left < MIN_ATTEMPT_MS) {
                throw new SlackDeliveryException(name() + ": no time left after " + (attempt - 1) + " attempts (last: " + last + ")");
            }
            Answer answer = send(request.timeout(Duration.ofMillis(Math.min(MAX_REQUEST_MS, left))));
            if (answer.delivered()) return Optional.ofNullable(answer.ts());
            last = answer.what();
            if (answer.permanent()) {
                throw new SlackDeliveryException(name() + " refused the message: " + last);
            }
            long wait = answer.retryAfterMs() >= 0 ? answer.retryAfterMs() : backoff(attempt);
            if (wait > remainingMillis.getAsLong() - SAFETY_MS - MIN_ATTEMPT_MS) {
                throw new SlackDeliveryException(name() + ": " + last + " on attempt " + attempt
                        + "; waiting " + wait + " ms more would exceed the time left");
            }
            log.accept(name() + ": " + last + " on attempt " + attempt + ", retrying in " + wait + " ms");
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SlackDeliveryException(name() + ": interrupted while waiting to retry (last: " + last + ")");
            }
        }
    }

    private HttpRequest.Builder request(SlackMessage message, String threadTs, boolean broadcast) {
        ObjectNode body = message.payload();
        HttpRequest.Builder b = HttpRequest.newBuilder().header("Content-Type", "application/json; charset=utf-8");
        if (settings instanceof SlackSettings.Bot bot) {
            body.put("channel", bot.channel());
            if (threadTs != null) {
                body.put("thread_ts", threadTs);
                body.put("reply_broadcast", broadcast);
            }
            b.uri(api.resolve("chat.postMessage")).header("Authorization", "Bearer " + bot.token());
        } else {
            b.uri(URI.create(((SlackSettings.Webhook) settings).url()));
        }
        return b.POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
    }

    /** One attempt's result: delivered (with ts), retry (after Retry-After, or -1 for backoff) or permanent. */
    private record Answer(boolean delivered, String ts, boolean permanent, long retryAfterMs, String what) {
        static Answer ok(String ts) {
            return new Answer(true, ts, false, -1, "ok");
        }

        static Answer retry(long afterMs, String what) {
            return new Answer(false, null, false, afterMs, what);
        }

        static Answer fail(String what) {
            return new Answer(false, null, true, -1, what);
        }
    }

    private Answer send(HttpRequest.Builder request) {
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // the exception's text may name the request; only its type goes into messages
            return Answer.retry(-1, e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Answer.fail("interrupted");
        }
        int status = response.statusCode();
        if (status == 429) {
            return Answer.retry(retryAfter(response), "HTTP 429");
        }
        if (status >= 500) {
            return Answer.retry(-1, "HTTP " + status);
        }
        if (status != 200) {
            return Answer.fail("HTTP " + status + errorCode(response.body()));
        }
        if (!threads()) return Answer.ok(null);
        JsonNode n;
        try {
            n = BlockKit.JSON.readTree(response.body());
        } catch (IOException e) {
            return Answer.retry(-1, "an answer that is not JSON");
        }
        if (n.path("ok").asBoolean(false)) return Answer.ok(n.path("ts").asText(null));
        String error = n.path("error").asText("unknown_error");
        String what = "error" + errorCode(error);
        return TRANSIENT_ERRORS.contains(error) ? Answer.retry(-1, what) : Answer.fail(what);
    }

    private static long retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").map(String::strip).filter(v -> v.matches("\\d{1,5}"))
                .map(v -> Long.parseLong(v) * 1000).orElse(DEFAULT_RETRY_AFTER_MS);
    }

    /** Exponential backoff with "equal jitter": half the step fixed, half random. */
    private long backoff(int attempt) {
        long step = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS << Math.min(attempt - 1, 20));
        return step / 2 + (long) (random.nextDouble() * (step / 2));
    }

    /** Slack's error codes are short snake_case words; anything else is left out rather than echoed. */
    private static String errorCode(String body) {
        String b = body == null ? "" : body.strip();
        return b.matches("[a-z_]{1,64}") ? " (" + b + ")" : "";
    }

    private String name() {
        return threads() ? "chat.postMessage" : "Slack webhook";
    }
}
