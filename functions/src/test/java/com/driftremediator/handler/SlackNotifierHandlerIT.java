package com.driftremediator.handler;

import com.driftremediator.domain.Outcome;
import com.driftremediator.domain.Report;
import com.driftremediator.domain.ReportJson;
import com.driftremediator.slack.CapturedOutput;
import com.driftremediator.slack.FakeSlack;
import com.driftremediator.slack.Reports;
import com.driftremediator.slack.SlackDeliveryException;
import com.driftremediator.cli.LocalContext;
import com.driftremediator.testing.MotoServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * SlackNotifierFunction against the moto server (SNS, SQS, DynamoDB, Secrets Manager) and a Slack endpoint on
 * loopback: the topic's message, read back through an SQS subscription and wrapped as the SNS -> Lambda event,
 * is posted once; a permanent failure makes the handler throw, which is what sends the event to the DLQ.
 */
class SlackNotifierHandlerIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MotoServer MOTO = MotoServer.start();
    private static final String TABLE = "LedgerTable";
    private static final String SECRET_ID = "drift-remediator/slack";
    private static final String BOT_TOKEN = "xoxb-0000-s3cr3tB0tT0k3n";

    private final SnsClient sns = MOTO.client(SnsClient.builder());
    private final SqsClient sqs = MOTO.client(SqsClient.builder());
    private final DynamoDbClient dynamo = MOTO.client(DynamoDbClient.builder());
    private final SecretsManagerClient secrets = MOTO.client(SecretsManagerClient.builder());
    private FakeSlack slack;
    private CapturedOutput output;
    private String topicArn;
    private String feedUrl;

    @BeforeEach
    void provision() throws IOException {
        MOTO.reset();
        slack = new FakeSlack();
        output = new CapturedOutput();
        dynamo.createTable(b -> b.tableName(TABLE).billingMode("PAY_PER_REQUEST")
                .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("sk").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH), k -> k.attributeName("sk").keyType(KeyType.RANGE)));
        topicArn = sns.createTopic(b -> b.name("RemediationTopic")).topicArn();
        feedUrl = subscribedQueue("slack-feed", Map.of());
    }

    @AfterEach
    void release() {
        output.close();
        slack.close();
        // the secrets must be absent from every line written during the test, whatever it checked
        assertThat(output.text()).doesNotContain(FakeSlack.WEBHOOK_PATH).doesNotContain("s3cr3t");
    }

    @AfterAll
    static void stop() {
        MOTO.close();
    }

    @Test
    void aTopicMessageIsPostedOnceEvenWhenSnsDeliversItTwice() throws IOException {
        storeSecret("{\"webhookUrl\": \"" + slack.webhookUrl() + "\"}");
        publish(Reports.report(Outcome.FAILED));
        String event = lambdaEvent(receiveOne(feedUrl));
        SlackNotifierHandler handler = handler(Map.of());

        assertThat(invoke(handler, event, 30_000).at("/results/0/result").asText()).isEqualTo("POSTED");
        assertThat(invoke(handler, event, 30_000).at("/results/0/result").asText()).isEqualTo("DUPLICATE");

        assertThat(slack.requests()).hasSize(1);
        JsonNode posted = JSON.readTree(slack.requests().get(0).body());
        assertThat(posted.path("text").asText()).startsWith(":x: prod: redeploy of 194af44 to streamr-p2p-prod failed.");
        assertThat(posted.path("blocks").size()).isBetween(1, 50);
        Map<String, AttributeValue> item = dedupeItem(event);
        assertThat(item.get("state").s()).isEqualTo("SENT");
        assertThat(Long.parseLong(item.get("expiresAt").n()))
                .isBetween(Instant.now().plusSeconds(6 * 86_400).getEpochSecond(), Instant.now().plusSeconds(8 * 86_400).getEpochSecond());
    }

    @Test
    void aPermanentFailureThrowsSoTheEventEndsInTheDlqAndCanBeReplayedFromIt() throws IOException {
        storeSecret("{\"webhookUrl\": \"" + slack.webhookUrl() + "\"}");
        String dlqUrl = sqs.createQueue(b -> b.queueName("SlackNotifierDLQ")).queueUrl();
        publish(Reports.report(Outcome.ROLLED_BACK));
        String event = lambdaEvent(receiveOne(feedUrl));
        SlackNotifierHandler handler = handler(Map.of());
        slack.always(FakeSlack.Answer.status(500));

        Throwable failure = org.assertj.core.api.Assertions.catchThrowable(() -> invoke(handler, event, 6_000));

        assertThat(failure).as("the handler throws").isInstanceOf(SlackDeliveryException.class);
        assertThat(failure.getMessage()).startsWith("Slack webhook: HTTP 500 on attempt ").doesNotContain(slack.webhookUrl());
        assertThat(slack.requests().size()).as("retried within the time left").isGreaterThan(3);
        assertThat(dedupeItem(event)).as("claim given back for Lambda's retry").isEmpty();

        // Lambda does this for a failed asynchronous invocation after its retries (DeadLetterConfig -> SQS):
        // the event as the body, the error in message attributes. Here the test harness plays Lambda.
        sqs.sendMessage(b -> b.queueUrl(dlqUrl).messageBody(event).messageAttributes(Map.of(
                "RequestID", sqsString("00000000-0000-4000-8000-000000000000"),
                "ErrorCode", sqsString("200"),
                "ErrorMessage", sqsString(failure.getMessage()))));
        Message dead = sqs.receiveMessage(b -> b.queueUrl(dlqUrl).waitTimeSeconds(1).messageAttributeNames("All")).messages().get(0);
        assertThat(dead.messageAttributes().get("ErrorMessage").stringValue()).doesNotContain(FakeSlack.WEBHOOK_PATH);

        slack.reset(); // Slack is back: the dead-lettered event, replayed, is posted
        assertThat(invoke(handler, dead.body(), 30_000).at("/results/0/result").asText()).isEqualTo("POSTED");
        assertThat(slack.requests()).hasSize(1);
    }

    @Test
    void withABotTheResultIsThreadedUnderTheStartedMessage() throws IOException {
        storeSecret("{\"botToken\": \"" + BOT_TOKEN + "\", \"channel\": \"C0123456789\"}");
        SlackNotifierHandler handler = handler(Map.of("SLACK_API_URL", slack.base().toString()));
        publish(Reports.report(Outcome.STARTED));
        invoke(handler, lambdaEvent(receiveOne(feedUrl)), 30_000);
        publish(Reports.report(Outcome.REMEDIATED));
        invoke(handler, lambdaEvent(receiveOne(feedUrl)), 30_000);

        assertThat(slack.requests()).hasSize(2).allSatisfy(r -> {
            assertThat(r.path()).isEqualTo("/chat.postMessage");
            assertThat(r.header("Authorization")).isEqualTo("Bearer " + BOT_TOKEN);
        });
        JsonNode started = JSON.readTree(slack.requests().get(0).body());
        JsonNode finished = JSON.readTree(slack.requests().get(1).body());
        assertThat(started.has("thread_ts")).isFalse();
        assertThat(finished.path("thread_ts").asText()).isEqualTo("1764252180.000101");
        assertThat(finished.path("reply_broadcast").asBoolean()).isFalse();
        assertThat(dynamo.getItem(b -> b.tableName(TABLE).key(Map.of("pk", AttributeValue.fromS("slack#" + Reports.COMMAND_ID),
                "sk", AttributeValue.fromS("slack")))).item().get("ts").s()).isEqualTo("1764252180.000101");
    }

    @Test
    void theSubscriptionFilterPolicyOnTheMessageBodyKeepsOtherEnvironmentsOut() throws IOException {
        // the same policy template.yaml puts on the subscription when SlackEnvironments is set
        String prodOnly = subscribedQueue("slack-prod-only", Map.of("FilterPolicyScope", "MessageBody",
                "FilterPolicy", "{\"environment\": [\"prod\"]}"));
        Report prod = Reports.report(Outcome.FAILED);
        publish(new Report("beta", "streamr-p2p-beta", prod.instances(), prod.desired(), prod.previous(),
                null, "beta is stale", Outcome.FAILED, null, null, null, null, null));
        publish(prod);

        Message only = receiveOne(prodOnly);
        assertThat(ReportJson.read(JSON.readTree(only.body()).path("Message").asText()).environment()).isEqualTo("prod");
        assertThat(sqs.receiveMessage(b -> b.queueUrl(prodOnly).waitTimeSeconds(1)).messages()).isEmpty();
    }

    @Test
    void aSecretThatIsNotSlackSettingsFailsAtColdStartWithoutQuotingIt() {
        storeSecret("{\"webhook\": \"https://hooks.slack.com/services/s3cr3t\"}");
        assertThatThrownBy(() -> handler(Map.of())).isInstanceOf(IllegalArgumentException.class)
                .message().contains("webhookUrl").doesNotContain("s3cr3t");
    }

    private SlackNotifierHandler handler(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(Map.of("SLACK_SECRET_ID", SECRET_ID, "LEDGER_TABLE", TABLE,
                "NOTIFY_POLICY", "*=all", "REPOSITORY_URL", "https://github.com/example/streamr-p2p.git",
                "AWS_REGION", MotoServer.REGION.id()));
        env.putAll(extra);
        return new SlackNotifierHandler(SlackNotifierHandler.wire(env, secrets, dynamo));
    }

    private void storeSecret(String json) {
        secrets.createSecret(b -> b.name(SECRET_ID).secretString(json));
    }

    private String subscribedQueue(String name, Map<String, String> attributes) {
        String url = sqs.createQueue(b -> b.queueName(name)).queueUrl();
        String arn = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        sns.subscribe(b -> b.topicArn(topicArn).protocol("sqs").endpoint(arn).attributes(attributes));
        return url;
    }

    /** As CommandResultFunction publishes: the ReportJson body, environment and outcome as attributes. */
    private void publish(Report report) {
        sns.publish(b -> b.topicArn(topicArn).message(ReportJson.write(report)).messageAttributes(Map.of(
                "environment", MessageAttributeValue.builder().dataType("String").stringValue(report.environment()).build(),
                "outcome", MessageAttributeValue.builder().dataType("String").stringValue(report.outcome().name()).build())));
    }

    private Message receiveOne(String queueUrl) {
        List<Message> messages = new ArrayList<>();
        for (int i = 0; i < 5 && messages.isEmpty(); i++) {
            messages.addAll(sqs.receiveMessage(b -> b.queueUrl(queueUrl).waitTimeSeconds(1)).messages());
        }
        assertThat(messages).hasSize(1);
        sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(messages.get(0).receiptHandle()));
        return messages.get(0);
    }

    /** The SNS envelope an SQS subscriber gets, reshaped as the event SNS gives a Lambda subscriber. */
    private String lambdaEvent(Message fromQueue) throws IOException {
        JsonNode envelope = JSON.readTree(fromQueue.body());
        ObjectNode event = JSON.createObjectNode();
        ObjectNode record = event.putArray("Records").addObject();
        record.put("EventSource", "aws:sns").put("EventVersion", "1.0")
                .put("EventSubscriptionArn", topicArn + ":00000000-0000-4000-8000-000000000001");
        ObjectNode s = record.putObject("Sns");
        for (String field : List.of("Type", "MessageId", "TopicArn", "Subject", "Message", "Timestamp",
                "SignatureVersion", "Signature")) {
            s.set(field, envelope.get(field));
        }
        s.set("SigningCertUrl", envelope.get("SigningCertURL"));
        s.set("UnsubscribeUrl", envelope.get("UnsubscribeURL"));
        s.set("MessageAttributes", envelope.get("MessageAttributes"));
        return event.toString();
    }

    private Map<String, AttributeValue> dedupeItem(String event) throws IOException {
        String messageId = JSON.readTree(event).at("/Records/0/Sns/MessageId").asText();
        return dynamo.getItem(b -> b.tableName(TABLE).consistentRead(true).key(Map.of(
                "pk", AttributeValue.fromS("slack-msg#" + messageId), "sk", AttributeValue.fromS("slack")))).item();
    }

    private static software.amazon.awssdk.services.sqs.model.MessageAttributeValue sqsString(String value) {
        return software.amazon.awssdk.services.sqs.model.MessageAttributeValue.builder().dataType("String").stringValue(value).build();
    }

    private static JsonNode invoke(SlackNotifierHandler handler, String event, long budgetMillis) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, LocalContext.withBudget("SlackNotifierFunction", budgetMillis, 512));
        return JSON.readTree(out.toByteArray());
    }
}
