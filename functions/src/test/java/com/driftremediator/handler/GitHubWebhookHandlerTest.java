package com.driftremediator.handler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.amazonaws.services.lambda.runtime.Context;
import com.driftremediator.aws.AwsClients;
import com.driftremediator.github.GitHubWebhook;
import com.driftremediator.github.WebhookFakes;
import com.driftremediator.github.WebhookSettings;
import com.driftremediator.testing.JsonMutants;
import com.driftremediator.testing.ProjectPaths;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/** The events/ fixtures (Function URL events, payload format 2.0) through the Lambda entry point. */
class GitHubWebhookHandlerTest {
    /** The secret every events/github-*.json fixture is signed with (docs/github.md). */
    static final String FIXTURE_SECRET = "drift-remediator-demo-secret";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final WebhookSettings SETTINGS = new WebhookSettings("example/streamr-p2p", "main",
            WebhookSettings.FUNCTION_URL_MAX_BODY);

    private final WebhookFakes.Secrets secrets = new WebhookFakes.Secrets(FIXTURE_SECRET);
    private final WebhookFakes.Deliveries deliveries = new WebhookFakes.Deliveries();
    private final WebhookFakes.Bus bus = new WebhookFakes.Bus();
    private final List<String> logged = new ArrayList<>();
    private final GitHubWebhookHandler handler =
            new GitHubWebhookHandler(new GitHubWebhook(SETTINGS, secrets, deliveries, bus));

    @Test
    void acceptsThePushFixtureAndForwardsItsCommit() throws IOException {
        JsonNode response = invoke(event("github-push.json"));

        assertThat(response.get("statusCode").asInt()).isEqualTo(202);
        assertThat(response.at("/headers/content-type").asText()).isEqualTo("application/json");
        assertThat(JSON.readTree(response.get("body").asText()).get("result").asText()).isEqualTo("accepted");
        assertThat(bus.published).singleElement().satisfies(push -> {
            assertThat(push.repository()).isEqualTo("example/streamr-p2p");
            assertThat(push.branch()).isEqualTo("main");
            assertThat(push.after()).isEqualTo("194af44c2b8e1d7f6a5b4c3d2e1f0a9b8c7d6e5f");
            assertThat(push.before()).isEqualTo("3f2a1c9d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a39");
            assertThat(push.pusher()).isEqualTo("dana-ops");
            assertThat(push.message()).startsWith("Add /streams/live route");
            assertThat(push.compareUrl()).startsWith("https://github.com/example/streamr-p2p/compare/");
            assertThat(push.delivery()).isEqualTo("6c1f2e80-cb3a-11f0-9a1e-2f5d6b7c8d90");
        });
    }

    @Test
    void acceptsTheBase64EncodedPushFixture() throws IOException {
        ObjectNode event = event("github-push-base64.json");
        assertThat(event.get("isBase64Encoded").asBoolean()).isTrue();

        assertThat(invoke(event).get("statusCode").asInt()).isEqualTo(202);
        assertThat(bus.published).singleElement()
                .satisfies(push -> assertThat(push.after()).isEqualTo("194af44c2b8e1d7f6a5b4c3d2e1f0a9b8c7d6e5f"));
    }

    @Test
    void ignoresTheTagFixture() throws IOException {
        assertThat(body(invoke(event("github-push-tag.json"))))
                .isEqualTo(Map.of("result", "ignored", "reason", "tag v1.4.0 is not a branch"));
        assertThat(bus.published).isEmpty();
    }

    @Test
    void ignoresTheBranchDeletionFixture() throws IOException {
        JsonNode response = invoke(event("github-push-delete.json"));

        assertThat(response.get("statusCode").asInt()).isEqualTo(200);
        assertThat(body(response)).containsEntry("reason", "branch main was deleted: nothing to deploy");
        assertThat(bus.published).isEmpty();
    }

    @Test
    void answersThePingFixture() throws IOException {
        JsonNode response = invoke(event("github-ping.json"));

        assertThat(response.get("statusCode").asInt()).isEqualTo(200);
        assertThat(body(response)).containsEntry("result", "pong");
    }

    @Test
    void answersTheSameDeliveryTwiceWithDuplicate() throws IOException {
        assertThat(invoke(event("github-push.json")).get("statusCode").asInt()).isEqualTo(202);
        JsonNode replay = invoke(event("github-push.json"));

        assertThat(replay.get("statusCode").asInt()).isEqualTo(200);
        assertThat(body(replay)).containsEntry("result", "duplicate");
        assertThat(bus.published).hasSize(1);
    }

    @Test
    void rejectsTheFixturesUnderAnotherSecret() throws IOException {
        secrets.value = "not-the-fixture-secret";

        for (String fixture : List.of("github-push.json", "github-push-base64.json", "github-ping.json")) {
            assertThat(invoke(event(fixture)).get("statusCode").asInt()).as(fixture).isEqualTo(401);
        }
        assertThat(bus.published).isEmpty();
    }

    @Test
    void neverLogsTheSecretOrTheSignature() throws IOException {
        ObjectNode event = event("github-push.json");
        String signature = event.at("/headers/x-hub-signature-256").asText();
        invoke(event);
        secrets.value = "rotated";
        invoke(event);

        assertThat(logged).hasSize(2).allSatisfy(line -> assertThat(line)
                .doesNotContain(FIXTURE_SECRET, "rotated", signature.substring(7)).contains("delivery="));
    }

    @Test
    void answers400ForAnInputThatIsNoFunctionUrlEvent() throws IOException {
        for (String input : List.of("not json", "[]", "")) {
            JsonNode response = invoke(input);
            assertThat(response.get("statusCode").asInt()).as(input).isEqualTo(400);
            assertThat(body(response)).containsEntry("reason", "not a Function URL event");
        }
    }

    @Test
    void answers500WhenTheBusFailsAndLogsWhy() throws IOException {
        bus.failure = new IllegalStateException("EventBridge refused the Git Push event: ThrottlingException");

        JsonNode response = invoke(event("github-push.json"));

        assertThat(response.get("statusCode").asInt()).isEqualTo(500);
        assertThat(body(response)).containsEntry("result", "error");
        assertThat(logged).anySatisfy(line -> assertThat(line).contains("ThrottlingException"));
        assertThat(deliveries.ids).as("a redelivery must go through").isEmpty();
    }

    @Test
    void namesTheMissingEnvironmentVariable() {
        AwsClients aws = new AwsClients(Region.EU_WEST_1, AnonymousCredentialsProvider.create(), null);
        Map<String, String> env = Map.of("WEBHOOK_SECRET_ID", "s", "EVENT_BUS_NAME", "b", "LEDGER_TABLE_NAME", "t",
                "GITHUB_REPOSITORY", "example/streamr-p2p");

        assertThatThrownBy(() -> GitHubWebhookHandler.fromEnvironment(env::get, aws))
                .hasMessage("environment variable GITHUB_BRANCH is not set");
    }

    @Test
    void theTemplateWiresThisHandlerWithTheVariablesItReads() throws IOException {
        String template = Files.readString(ProjectPaths.root().resolve("template.yaml"));

        assertThat(template).contains("Handler: com.driftremediator.handler.GitHubWebhookHandler::handleRequest");
        for (String name : List.of("WEBHOOK_SECRET_ID", "EVENT_BUS_NAME", "LEDGER_TABLE_NAME", "GITHUB_REPOSITORY",
                "GITHUB_BRANCH")) {
            assertThat(template).contains(name + ":");
        }
    }

    /** Every field of the Function URL event removed or replaced (headers, body, encoding, context): an HTTP answer each. */
    @Test
    void everyMutationOfTheFunctionUrlEventGetsAnHttpAnswer() throws IOException {
        List<String> mutants = JsonMutants.of(event("github-push.json").toString());
        assertThat(mutants).hasSizeGreaterThan(100);
        for (String mutant : mutants) {
            JsonNode response = invoke(mutant);

            assertThat(response.get("statusCode").asInt()).as(JsonMutants.shown(mutant))
                    .isIn(200, 202, 400, 401, 413);
        }
        assertThat(bus.published).as("mutants of fields the webhook does not read still forward").isNotEmpty()
                .allSatisfy(push -> assertThat(push.after()).isEqualTo("194af44c2b8e1d7f6a5b4c3d2e1f0a9b8c7d6e5f"));
    }

    private static ObjectNode event(String name) throws IOException {
        Path file = ProjectPaths.root().resolve("events").resolve(name);
        return (ObjectNode) JSON.readTree(file.toFile());
    }

    private JsonNode invoke(JsonNode event) throws IOException {
        return invoke(event.toString());
    }

    private JsonNode invoke(String input) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), out, context());
        return JSON.readTree(out.toByteArray());
    }

    private Context context() {
        return CapturingContext.into(logged);
    }

    private static Map<String, String> body(JsonNode response) throws IOException {
        Map<String, String> body = new java.util.LinkedHashMap<>();
        JSON.readTree(response.get("body").asText()).properties().forEach(e -> body.put(e.getKey(), e.getValue().asText()));
        return body;
    }
}
