package com.driftremediator.handler;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.driftremediator.aws.AwsClients;
import com.driftremediator.github.DynamoDbDeliveryLog;
import com.driftremediator.github.EventBridgePublisher;
import com.driftremediator.github.GitHubWebhook;
import com.driftremediator.github.SecretsManagerSecretSource;
import com.driftremediator.github.WebhookRequest;
import com.driftremediator.github.WebhookResponse;
import com.driftremediator.github.WebhookSettings;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * GitHubWebhookFunction: a Lambda Function URL event (payload format 2.0) in, {statusCode, headers, body} out.
 * Environment: WEBHOOK_SECRET_ID, EVENT_BUS_NAME, LEDGER_TABLE_NAME, GITHUB_REPOSITORY (owner/name), GITHUB_BRANCH.
 */
public final class GitHubWebhookHandler implements RequestStreamHandler {
    /**
     * GitHub gives up after 10 s. A delivery makes at most four AWS calls (secret, delivery log, bus, and forgetting
     * the delivery when the bus fails), each bounded here, retries included, so even a cold start answers in time.
     */
    static final Duration AWS_CALL_TIMEOUT = Duration.ofMillis(1500);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final GitHubWebhook webhook;

    public GitHubWebhookHandler() {
        this(fromEnvironment(System::getenv, AwsClients.fromEnvironment()));
    }

    public GitHubWebhookHandler(GitHubWebhook webhook) {
        this.webhook = webhook;
    }

    /** The webhook wired to Secrets Manager, DynamoDB and EventBridge; fails with the name of a missing variable. */
    public static GitHubWebhook fromEnvironment(Function<String, String> env, AwsClients aws) {
        String secretId = require(env, "WEBHOOK_SECRET_ID");
        String bus = require(env, "EVENT_BUS_NAME");
        String table = require(env, "LEDGER_TABLE_NAME");
        WebhookSettings settings = new WebhookSettings(require(env, "GITHUB_REPOSITORY"), require(env, "GITHUB_BRANCH"),
                WebhookSettings.FUNCTION_URL_MAX_BODY);
        return new GitHubWebhook(settings,
                new SecretsManagerSecretSource(aws.build(SecretsManagerClient.builder()), secretId, AWS_CALL_TIMEOUT),
                new DynamoDbDeliveryLog(aws.build(DynamoDbClient.builder()), table, Clock.systemUTC(), AWS_CALL_TIMEOUT),
                new EventBridgePublisher(aws.build(EventBridgeClient.builder()), bus, AWS_CALL_TIMEOUT));
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        String delivery = null;
        String event = null;
        WebhookResponse response;
        try {
            JsonNode e = JSON.readTree(input);
            if (e == null || !e.isObject()) {
                response = new WebhookResponse(400, "bad request", "not a Function URL event");
            } else {
                WebhookRequest request = request(e);
                delivery = request.header(GitHubWebhook.DELIVERY_HEADER);
                event = request.header(GitHubWebhook.EVENT_HEADER);
                response = webhook.handle(request);
            }
        } catch (JsonProcessingException notJson) {
            response = new WebhookResponse(400, "bad request", "not a Function URL event");
        } catch (RuntimeException failed) {
            // A dependency failed (the exception names the call, never the secret): GitHub shows the 500 and can redeliver.
            log(context, "GitHubWebhook failed: " + failed);
            response = new WebhookResponse(500, "error", "internal error, the push was not forwarded: redeliver it later");
        }
        log(context, "GitHubWebhook delivery=" + printable(delivery) + " event=" + printable(event)
                + " status=" + response.status() + " result=" + response.result() + " reason=" + printable(response.reason()));
        ObjectNode out = JSON.createObjectNode().put("statusCode", response.status());
        out.putObject("headers").put("content-type", "application/json");
        out.put("body", response.bodyJson());
        JSON.writeValue(output, out);
    }

    private static WebhookRequest request(JsonNode e) {
        Map<String, String> headers = new HashMap<>();
        e.path("headers").properties().forEach(h -> headers.put(h.getKey(), h.getValue().asText()));
        JsonNode body = e.get("body");
        return new WebhookRequest(headers, body != null && body.isTextual() ? body.textValue() : "",
                e.path("isBase64Encoded").asBoolean(false));
    }

    private static String require(Function<String, String> env, String name) {
        String value = env.apply(name);
        if (value == null || value.isBlank()) throw new IllegalStateException("environment variable " + name + " is not set");
        return value;
    }

    private static void log(Context context, String line) {
        if (context != null && context.getLogger() != null) {
            context.getLogger().log(line);
        } else {
            System.err.println(line);
        }
    }

    /** Header values come from anyone on the internet: no control characters, bounded length. */
    private static String printable(String value) {
        if (value == null) return "-";
        String cut = value.length() > 200 ? value.substring(0, 200) + "..." : value;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
