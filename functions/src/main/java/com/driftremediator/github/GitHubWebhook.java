package com.driftremediator.github;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Receives one GitHub webhook delivery: checks its size and signature before reading a byte of the payload, answers
 * {@code ping}, keeps pushes to the configured repository and branch, drops replayed deliveries, and forwards the
 * rest as a small "Git Push" event.
 */
public final class GitHubWebhook {
    public static final String EVENT_HEADER = "X-GitHub-Event";
    public static final String DELIVERY_HEADER = "X-GitHub-Delivery";
    private static final String ZERO_SHA = "0".repeat(40);
    private static final Pattern SHA = Pattern.compile("^[0-9a-f]{40}$");
    private static final Pattern DELIVERY_ID = Pattern.compile("^[A-Za-z0-9-]{1,100}$");
    /** Re-read a rotated secret at most this often (see {@link CachedSecret}). */
    private static final Duration SECRET_RELOAD_INTERVAL = Duration.ofSeconds(10);
    /** How much of an untrusted value a reason repeats. */
    private static final int ECHO = 100;
    private static final ObjectMapper JSON =
            JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

    private final WebhookSettings settings;
    private final CachedSecret secret;
    private final DeliveryLog deliveries;
    private final EventPublisher publisher;

    public GitHubWebhook(WebhookSettings settings, SecretSource secrets, DeliveryLog deliveries,
                         EventPublisher publisher) {
        this(settings, secrets, deliveries, publisher, Clock.systemUTC(), SECRET_RELOAD_INTERVAL);
    }

    GitHubWebhook(WebhookSettings settings, SecretSource secrets, DeliveryLog deliveries, EventPublisher publisher,
                  Clock clock, Duration secretReloadInterval) {
        this.settings = settings;
        this.secret = new CachedSecret(secrets, clock, secretReloadInterval);
        this.deliveries = deliveries;
        this.publisher = publisher;
    }

    /**
     * The answer to one delivery. Throws only when a dependency fails (Secrets Manager, DynamoDB, EventBridge);
     * a push that could not be forwarded is then forgotten, so GitHub's redelivery goes through.
     */
    public WebhookResponse handle(WebhookRequest request) {
        int max = settings.maxBodyBytes();
        // Cheap bound on the text first (base64 is 4 characters per 3 bytes), then on the decoded bytes.
        long maxText = request.base64() ? 4L * ((max + 2L) / 3) : max;
        if (request.body().length() > maxText) return tooLarge();
        byte[] body;
        if (request.base64()) {
            try {
                body = Base64.getDecoder().decode(request.body());
            } catch (IllegalArgumentException e) {
                return WebhookResponse.badRequest("the body is marked base64 but is not");
            }
        } else {
            body = request.body().getBytes(StandardCharsets.UTF_8);
        }
        if (body.length > max) return tooLarge();

        String signature = request.header(WebhookSignature.HEADER);
        if (signature == null || signature.isBlank()) {
            return WebhookResponse.unauthorized("missing X-Hub-Signature-256: set a secret on the webhook");
        }
        if (!verified(body, signature)) {
            return WebhookResponse.unauthorized("X-Hub-Signature-256 does not match the body");
        }

        String event = request.header(EVENT_HEADER);
        if (event == null || event.isBlank()) return WebhookResponse.badRequest("missing X-GitHub-Event");
        JsonNode payload = parseObject(body);
        if (payload == null) {
            return WebhookResponse.badRequest("the body is not a JSON object: set the webhook's content type to application/json");
        }
        return switch (event) {
            case "ping" -> ping(payload);
            case "push" -> push(payload, request.header(DELIVERY_HEADER));
            default -> WebhookResponse.ignored("event " + GitPush.cut(event, ECHO) + " is not handled, only push");
        };
    }

    private boolean verified(byte[] body, String signature) {
        if (WebhookSignature.matches(secret.current(), body, signature)) return true;
        return secret.reloaded().map(rotated -> WebhookSignature.matches(rotated, body, signature)).orElse(false);
    }

    private WebhookResponse ping(JsonNode payload) {
        if (!payload.has("hook_id")) return WebhookResponse.badRequest("not a ping event: no hook_id");
        String repository = text(payload.path("repository"), "full_name");
        String watching = "pushes to " + settings.branch() + " of " + settings.repository() + " are forwarded";
        if (repository != null && !repository.equalsIgnoreCase(settings.repository())) {
            watching += ", but this webhook is on " + GitPush.cut(repository, ECHO);
        }
        return new WebhookResponse(200, "pong", watching);
    }

    private WebhookResponse push(JsonNode payload, String delivery) {
        String ref = text(payload, "ref");
        String before = text(payload, "before");
        String after = text(payload, "after");
        String repository = text(payload.path("repository"), "full_name");
        if (ref == null || before == null || after == null || repository == null) {
            return WebhookResponse.badRequest("not a push event: ref, before, after and repository.full_name are required");
        }
        if (!SHA.matcher(before).matches() || !SHA.matcher(after).matches()) {
            return WebhookResponse.badRequest("not a push event: before and after must be 40-hex commit SHAs");
        }
        if (!repository.equalsIgnoreCase(settings.repository())) {
            return WebhookResponse.ignored("repository " + GitPush.cut(repository, ECHO) + " is not " + settings.repository());
        }
        if (ref.startsWith("refs/tags/")) {
            return WebhookResponse.ignored("tag " + GitPush.cut(ref.substring(10), ECHO) + " is not a branch");
        }
        if (!ref.startsWith("refs/heads/")) {
            return WebhookResponse.ignored("ref " + GitPush.cut(ref, ECHO) + " is not a branch");
        }
        String branch = ref.substring(11);
        if (!branch.equals(settings.branch())) {
            return WebhookResponse.ignored("branch " + GitPush.cut(branch, ECHO) + " is not " + settings.branch());
        }
        // A deletion names no commit to deploy; a creation (before = zeros) does.
        if (after.equals(ZERO_SHA) || payload.path("deleted").asBoolean(false)) {
            return WebhookResponse.ignored("branch " + branch + " was deleted: nothing to deploy");
        }
        if (delivery == null || !DELIVERY_ID.matcher(delivery).matches()) {
            return WebhookResponse.badRequest("missing or malformed X-GitHub-Delivery");
        }
        if (!deliveries.record(delivery)) {
            return new WebhookResponse(200, "duplicate", "duplicate delivery " + delivery + ": already forwarded");
        }
        GitPush push = new GitPush(repository, ref, branch, before, after, pushedAt(payload.path("repository")),
                payload.path("forced").asBoolean(false), text(payload.path("pusher"), "name"),
                text(payload.path("head_commit"), "message"), text(payload, "compare"), delivery);
        try {
            publisher.publish(push);
        } catch (RuntimeException e) {
            try {
                deliveries.forget(delivery);
            } catch (RuntimeException alsoFailed) {
                e.addSuppressed(alsoFailed);
            }
            throw e;
        }
        return new WebhookResponse(202, "accepted",
                "push of " + after.substring(0, 7) + " to " + branch + " forwarded to the drift check");
    }

    private WebhookResponse tooLarge() {
        return new WebhookResponse(413, "too large", "the body is over " + settings.maxBodyBytes() + " bytes");
    }

    /** The payload when the body is a JSON object, null otherwise. */
    private static JsonNode parseObject(byte[] body) {
        try {
            JsonNode n = JSON.readTree(body);
            return n != null && n.isObject() ? n : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** {@code repository.pushed_at}: epoch seconds in push payloads (an ISO time in some other events). */
    static Long pushedAt(JsonNode repository) {
        JsonNode v = repository.get("pushed_at");
        if (v == null) return null;
        if (v.canConvertToLong() && v.isIntegralNumber()) return v.longValue() > 0 ? v.longValue() : null;
        if (v.isTextual()) {
            try {
                return java.time.Instant.parse(v.textValue()).getEpochSecond();
            } catch (java.time.format.DateTimeParseException e) {
                return null;
            }
        }
        return null;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.isTextual() ? v.textValue() : null;
    }
}
