package com.driftremediator.github;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.driftremediator.aws.AwsClients;
import com.driftremediator.handler.GitHubWebhookHandler;
import com.driftremediator.testing.MotoServer;
import com.driftremediator.testing.ProjectPaths;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** GitHubWebhookFunction against the moto server: Secrets Manager, the LedgerTable delivery log, EventBridge to SQS. */
class GitHubWebhookIT {
    private static final MotoServer MOTO = MotoServer.start();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FIXTURE_SECRET = "drift-remediator-demo-secret";
    private static final String SECRET_ID = "drift-remediator/test/github-webhook-secret";
    private static final String BUS = "drift-remediator-test";
    private static final String TABLE = "drift-remediator-ledger";
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final SecretsManagerClient secrets = MOTO.client(SecretsManagerClient.builder());
    private final DynamoDbClient dynamo = MOTO.client(DynamoDbClient.builder());
    private final EventBridgeClient events = MOTO.client(EventBridgeClient.builder());
    private final SqsClient sqs = MOTO.client(SqsClient.builder());
    private final AwsClients aws = new AwsClients(MotoServer.REGION, MotoServer.CREDENTIALS, MOTO.endpoint());
    private String queueUrl;

    @BeforeEach
    void environment() {
        MOTO.reset();
        secrets.createSecret(b -> b.name(SECRET_ID).secretString(FIXTURE_SECRET));
        dynamo.createTable(b -> b.tableName(TABLE).billingMode("PAY_PER_REQUEST")
                .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("sk").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH),
                        k -> k.attributeName("sk").keyType(KeyType.RANGE)));
        dynamo.updateTimeToLive(b -> b.tableName(TABLE).timeToLiveSpecification(t -> t.attributeName("expiresAt").enabled(true)));
        // What DriftCheckFunction's rule on RemediationBus matches, with an SQS target standing in for the function.
        events.createEventBus(b -> b.name(BUS));
        queueUrl = sqs.createQueue(b -> b.queueName("git-push")).queueUrl();
        String queueArn = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        events.putRule(b -> b.name("git-push").eventBusName(BUS)
                .eventPattern("{\"source\":[\"drift-remediator.github\"],\"detail-type\":[\"Git Push\"]}"));
        events.putTargets(b -> b.rule("git-push").eventBusName(BUS).targets(t -> t.id("queue").arn(queueArn)));
    }

    @AfterAll
    static void stop() {
        MOTO.close();
    }

    @Test
    void putsAGitPushEventOnTheBusForASignedPush() throws IOException {
        JsonNode response = invoke(handler(env()), fixture("github-push.json"));

        assertThat(response.get("statusCode").asInt()).isEqualTo(202);
        List<Message> messages = receive(Duration.ofSeconds(5));
        assertThat(messages).hasSize(1);
        JsonNode event = JSON.readTree(messages.get(0).body());
        assertThat(event.get("source").asText()).isEqualTo("drift-remediator.github");
        assertThat(event.get("detail-type").asText()).isEqualTo("Git Push");
        JsonNode detail = event.get("detail");
        assertThat(detail.get("repository").asText()).isEqualTo("example/streamr-p2p");
        assertThat(detail.get("ref").asText()).isEqualTo("refs/heads/main");
        assertThat(detail.get("branch").asText()).isEqualTo("main");
        assertThat(detail.get("before").asText()).isEqualTo("3f2a1c9d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a39");
        assertThat(detail.get("after").asText()).isEqualTo("194af44c2b8e1d7f6a5b4c3d2e1f0a9b8c7d6e5f");
        assertThat(detail.get("pusher").asText()).isEqualTo("dana-ops");
        assertThat(detail.get("message").asText()).startsWith("Add /streams/live route");
        assertThat(detail.get("compareUrl").asText()).startsWith("https://github.com/example/streamr-p2p/compare/");
        assertThat(detail.get("delivery").asText()).isEqualTo("6c1f2e80-cb3a-11f0-9a1e-2f5d6b7c8d90");
    }

    @Test
    void recordsTheDeliveryWithATtlAndDropsItsReplayEvenInAnotherContainer() throws IOException {
        assertThat(invoke(handler(env()), fixture("github-push.json")).get("statusCode").asInt()).isEqualTo(202);
        assertThat(receive(Duration.ofSeconds(5))).hasSize(1);

        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(TABLE).key(Map.of(
                "pk", AttributeValue.fromS("delivery#6c1f2e80-cb3a-11f0-9a1e-2f5d6b7c8d90"),
                "sk", AttributeValue.fromS("github")))).item();
        long expiresAt = Long.parseLong(item.get("expiresAt").n());
        assertThat(Instant.ofEpochSecond(expiresAt))
                .isBetween(Instant.now().plus(Duration.ofDays(29)), Instant.now().plus(Duration.ofDays(31)));

        JsonNode replay = invoke(handler(env()), fixture("github-push.json"));
        assertThat(replay.get("statusCode").asInt()).isEqualTo(200);
        assertThat(JSON.readTree(replay.get("body").asText()).get("result").asText()).isEqualTo("duplicate");
        assertThat(receive(Duration.ofSeconds(2))).isEmpty();
    }

    @Test
    void readsTheSecretFromSecretsManagerAndRejectsOtherSignatures() throws IOException {
        secrets.putSecretValue(b -> b.secretId(SECRET_ID).secretString("another-secret"));

        assertThat(invoke(handler(env()), fixture("github-push.json")).get("statusCode").asInt()).isEqualTo(401);
        assertThat(receive(Duration.ofSeconds(2))).isEmpty();
    }

    @Test
    void rereadsTheSecretAfterARotation() throws IOException {
        // Wired by hand to space re-reads by zero instead of ten seconds.
        GitHubWebhook webhook = new GitHubWebhook(new WebhookSettings("example/streamr-p2p", "main", 1 << 20),
                new SecretsManagerSecretSource(secrets, SECRET_ID, TIMEOUT),
                new DynamoDbDeliveryLog(dynamo, TABLE, Clock.systemUTC(), TIMEOUT),
                new EventBridgePublisher(events, BUS, TIMEOUT),
                Clock.systemUTC(), Duration.ZERO);
        GitHubWebhookHandler handler = new GitHubWebhookHandler(webhook);
        assertThat(invoke(handler, fixture("github-push-tag.json")).get("statusCode").asInt()).isEqualTo(200);

        secrets.putSecretValue(b -> b.secretId(SECRET_ID).secretString("rotated-secret"));
        assertThat(invoke(handler, resigned(fixture("github-push.json"), "rotated-secret")).get("statusCode").asInt())
                .isEqualTo(202);
        assertThat(receive(Duration.ofSeconds(5))).hasSize(1);
        assertThat(invoke(handler, fixture("github-ping.json")).get("statusCode").asInt())
                .as("signed with the secret before the rotation").isEqualTo(401);
    }

    @Test
    void forgetsTheDeliveryWhenTheBusRefusesTheEvent() throws IOException {
        Map<String, String> env = new HashMap<>(env());
        env.put("EVENT_BUS_NAME", "no-such-bus");

        JsonNode response = invoke(handler(env), fixture("github-push.json"));

        assertThat(response.get("statusCode").asInt()).isEqualTo(500);
        assertThat(dynamo.scan(b -> b.tableName(TABLE)).items()).as("a redelivery must go through").isEmpty();
        assertThat(invoke(handler(env()), fixture("github-push.json")).get("statusCode").asInt()).isEqualTo(202);
    }

    @Test
    void answersWellInsideGitHubsTenSecondsWhenAwsHangs() throws IOException {
        WireMockServer slow = new WireMockServer(options().dynamicPort());
        slow.start();
        try {
            slow.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withFixedDelay(20_000)));
            AwsClients hanging = new AwsClients(MotoServer.REGION, MotoServer.CREDENTIALS,
                    URI.create(slow.baseUrl()));
            GitHubWebhookHandler handler = new GitHubWebhookHandler(GitHubWebhookHandler.fromEnvironment(env()::get, hanging));

            long start = System.nanoTime();
            JsonNode response = invoke(handler, fixture("github-push.json"));
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(response.get("statusCode").asInt()).isEqualTo(500);
            assertThat(took).isLessThan(Duration.ofSeconds(5));
        } finally {
            slow.stop();
        }
    }

    private Map<String, String> env() {
        return Map.of("WEBHOOK_SECRET_ID", SECRET_ID, "EVENT_BUS_NAME", BUS, "LEDGER_TABLE_NAME", TABLE,
                "GITHUB_REPOSITORY", "example/streamr-p2p", "GITHUB_BRANCH", "main");
    }

    private GitHubWebhookHandler handler(Map<String, String> env) {
        return new GitHubWebhookHandler(GitHubWebhookHandler.fromEnvironment(env::get, aws));
    }

    private static ObjectNode fixture(String name) throws IOException {
        return (ObjectNode) JSON.readTree(ProjectPaths.root().resolve("events").resolve(name).toFile());
    }

    /** The fixture with its body signed with another secret, under a new delivery id. */
    private static ObjectNode resigned(ObjectNode event, String secret) {
        byte[] body = event.get("body").asText().getBytes(StandardCharsets.UTF_8);
        ObjectNode headers = (ObjectNode) event.get("headers");
        headers.put("x-hub-signature-256", WebhookSignature.sign(secret.getBytes(StandardCharsets.UTF_8), body));
        headers.put("x-github-delivery", "9f0a1b2c-cb3a-11f0-8000-000000000001");
        return event;
    }

    private static JsonNode invoke(GitHubWebhookHandler handler, JsonNode event) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event.toString().getBytes(StandardCharsets.UTF_8)), out, null);
        return JSON.readTree(out.toByteArray());
    }

    private List<Message> receive(Duration wait) {
        return sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)
                .waitTimeSeconds((int) wait.toSeconds())).messages();
    }
}
