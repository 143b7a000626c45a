package com.driftremediator.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.driftremediator.aws.AwsClients;
import com.driftremediator.aws.Settings;
import com.driftremediator.slack.DynamoSlackState;
import com.driftremediator.slack.NotifyPolicy;
import com.driftremediator.slack.RenderContext;
import com.driftremediator.slack.SlackClient;
import com.driftremediator.slack.SlackNotifier;
import com.driftremediator.slack.SlackSettings;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.time.Clock;
import java.util.Map;
import java.util.function.Consumer;

/**
 * SlackNotifierFunction: SNS (RemediationTopic) to Slack. Malformed records are logged and ignored; a message
 * Slack does not take makes the invocation fail, so Lambda retries it and then sends the event to the DLQ.
 */
public final class SlackNotifierHandler implements RequestStreamHandler {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SlackNotifier notifier;

    public SlackNotifierHandler() {
        this(fromEnvironment(System.getenv(), AwsClients.fromEnvironment()));
    }

    public SlackNotifierHandler(SlackNotifier notifier) {
        this.notifier = notifier;
    }

    private static SlackNotifier fromEnvironment(Map<String, String> env, AwsClients aws) {
        return wire(env, aws.build(SecretsManagerClient.builder()), aws.build(DynamoDbClient.builder()));
    }

    /**
     * Builds the notifier from the function's environment: SLACK_SECRET_ID and LEDGER_TABLE (required),
     * NOTIFY_POLICY, REPOSITORY_URL, LOAD_BALANCER_URL, SLACK_API_URL (optional). Reads the secret once.
     */
    public static SlackNotifier wire(Map<String, String> env, SecretsManagerClient secrets, DynamoDbClient dynamo) {
        Settings settingsFromEnv = new Settings(env);
        String secretId = settingsFromEnv.require("SLACK_SECRET_ID");
        String table = settingsFromEnv.require("LEDGER_TABLE");
        NotifyPolicy policy = NotifyPolicy.parse(env.get("NOTIFY_POLICY"));
        String api = env.getOrDefault("SLACK_API_URL", "");
        SlackSettings settings = SlackSettings.parse(secrets.getSecretValue(b -> b.secretId(secretId)).secretString());
        SlackClient client = SlackClient.create(settings,
                api.isBlank() ? SlackClient.SLACK_API : URI.create(api.endsWith("/") ? api : api + "/"));
        return new SlackNotifier(policy, RenderContext.fromEnvironment(env), client,
                new DynamoSlackState(dynamo, table), Clock.systemUTC());
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Consumer<String> log = line -> context.getLogger().log(line);
        ObjectNode response = JSON.createObjectNode();
        ArrayNode results = response.putArray("results");
        JsonNode event;
        try {
            event = JSON.readTree(input);
        } catch (IOException e) {
            event = null;
        }
        if (event == null || !event.path("Records").isArray()) {
            log.accept("ignored an event that is not an SNS event (no Records)");
        } else {
            for (JsonNode record : event.path("Records")) {
                JsonNode sns = record.path("Sns");
                String messageId = sns.path("MessageId").asText(null);
                SlackNotifier.Result result = notifier.handle(messageId, sns.path("Message").asText(null),
                        context::getRemainingTimeInMillis, log);
                results.addObject().put("messageId", messageId).put("result", result.name());
            }
        }
        output.write(JSON.writeValueAsBytes(response));
    }
}
