package com.driftremediator.cli;

import com.driftremediator.testing.MotoServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's walk-through of the AWS path without an account: `emulator up`, its exports, `invoke` of the
 * CloudFormation fixtures (one redeploy, then nothing), `history`, `emulator down`.
 */
class EmulatorIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern EXPORT = Pattern.compile("^export (\\w+)='([^']*)'$", Pattern.MULTILINE);

    @TempDir
    Path state;

    @AfterEach
    void down() {
        CliProcess.run(Map.of("DRIFT_REMEDIATOR_STATE", state.toString()), "emulator", "down");
    }

    @Test
    void upProvisionsTheSampleEnvironmentAndInvokeRemediatesItOnce() throws Exception {
        Map<String, String> base = Map.of("DRIFT_REMEDIATOR_STATE", state.toString());
        CliProcess up = CliProcess.run(base, "emulator", "up", "--port", Integer.toString(MotoServer.freePort()), "--instances", "3",
                "--slack-webhook-url", "http://127.0.0.1:9/hook");
        assertThat(up.exitCode()).as(up.stderr()).isZero();
        Map<String, String> env = new HashMap<>(base);
        Matcher m = EXPORT.matcher(up.stdout());
        while (m.find()) env.put(m.group(1), m.group(2));
        assertThat(env).containsKeys("AWS_ENDPOINT_URL", "AWS_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
                "DRIFT_REMEDIATOR_ENV_VARS");
        assertThat(env.get("DRIFT_REMEDIATOR_INSTANCE_IDS").split(" ")).hasSize(3).allMatch(id -> id.startsWith("i-"));
        JsonNode envVars = JSON.readTree(Path.of(env.get("DRIFT_REMEDIATOR_ENV_VARS")).toFile());
        assertThat(envVars.path("Parameters").path("WEBHOOK_SECRET_ID").asText()).contains("github-webhook-secret");
        assertThat(up.stderr()).contains("stack streamr-p2p-beta with 3 instances");
        try (SecretsManagerClient secrets = SecretsManagerClient.builder()
                .endpointOverride(java.net.URI.create(env.get("AWS_ENDPOINT_URL"))).region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build()) {
            String webhook = envVars.path("Parameters").path("WEBHOOK_SECRET_ID").asText();
            assertThat(secrets.getSecretValue(r -> r.secretId(webhook)).secretString()).isEqualTo("drift-remediator-demo-secret");
            String slack = envVars.path("Parameters").path("SLACK_SECRET_ID").asText();
            assertThat(JSON.readTree(secrets.getSecretValue(r -> r.secretId(slack)).secretString()).path("webhookUrl").asText())
                    .isEqualTo("http://127.0.0.1:9/hook");
        }

        // the incident: the instances serve the commit UserData installed at boot
        JsonNode ready = JSON.readTree(state.resolve("ready.json").toFile());
        assertThat(ready.path("instances")).hasSize(3).allSatisfy(i -> {
            assertThat(i.path("privateIp").asText()).startsWith("127.");
            assertThat(served(i.path("url").asText())).isEqualTo(SampleEnvironment.BOOTED.sha());
        });
        assertThat(up.stderr()).contains(ready.path("instances").path(0).path("url").asText());

        JsonNode first = invoke(env, "events/cloudformation-update-complete.json");
        assertThat(first.path("revisionSource").asText()).isEqualTo("stack parameter AppRevision of streamr-p2p-beta");
        assertThat(first.path("commandId").asText()).isNotBlank();
        assertThat(first.path("targets")).hasSize(3).allSatisfy(t -> {
            assertThat(t.path("verdict").path("reasons").toString()).contains("CODE_STALE", "SERVED_STALE");
            assertThat(t.path("decision").path("action").asText()).isEqualTo("REDEPLOY");
        });

        JsonNode second = invoke(env, "events/cloudformation-update-complete.json");
        assertThat(second.path("commandId").isNull()).isTrue();
        assertThat(second.path("targets")).allSatisfy(t -> assertThat(t.path("decision").path("action").asText()).isIn("SKIP", "NOOP"));

        JsonNode attempt = awaitFinished(env);
        assertThat(attempt.path("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(attempt.path("commandId").asText()).isEqualTo(first.path("commandId").asText());
        assertThat(ready.path("instances")).allSatisfy(i ->
                assertThat(served(i.path("url").asText())).isEqualTo(SampleEnvironment.DESIRED.sha()));
        assertThat(reports(env, ready)).extracting(r -> r.path("outcome").asText()).containsExactly("STARTED", "REMEDIATED");

        JsonNode tick = invoke(env, "events/schedule.json");
        assertThat(tick.path("commandId").isNull()).isTrue();
        assertThat(tick.path("targets")).hasSize(3).allSatisfy(t -> {
            assertThat(t.path("verdict").path("sync").asText()).isEqualTo("SYNCED");
            assertThat(t.path("decision").path("action").asText()).isEqualTo("NOOP");
        });

        assertThat(invoke(env, "events/cloudformation-update-rollback-complete.json").path("ignored").asText())
                .contains("UPDATE_ROLLBACK_COMPLETE");
        assertThat(invoke(env, "events/cloudformation-other-stack.json").path("ignored").asText())
                .contains("billing-service-prod");

        CliProcess check = CliProcess.run(env, "check");
        assertThat(check.exitCode()).as(check.stderr()).isZero();
        assertThat(JSON.readTree(check.stdout()).path("trigger").asText()).isEqualTo("MANUAL");
        assertThat(JSON.readTree(check.stdout()).path("commandId").isNull()).isTrue();

        CliProcess history = CliProcess.run(env, "history", "--json");
        assertThat(history.exitCode()).as(history.stderr()).isZero();
        assertThat(JSON.readTree(history.stdout())).singleElement().satisfies(a ->
                assertThat(a.path("commandId").asText()).isEqualTo(first.path("commandId").asText()));

        // a signed GitHub push through the webhook, onto the bus, and from there into a drift check
        CliProcess webhook = CliProcess.run(env, "invoke", "GitHubWebhookFunction", "-e", "events/github-push.json");
        assertThat(webhook.exitCode()).as(webhook.stderr()).isZero();
        assertThat(JSON.readTree(webhook.stdout()).path("statusCode").asInt()).isEqualTo(202);
        String busEvent = gitPushOnTheBus(env, envVars);
        Path pushEvent = state.resolve("push-event.json");
        Files.writeString(pushEvent, busEvent);
        JsonNode push = invoke(env, pushEvent.toString());
        assertThat(push.path("trigger").asText()).isEqualTo("GIT_PUSH");
        JsonNode detail = JSON.readTree(busEvent).path("detail");
        assertThat(detail.path("pushedAt").asLong()).as("repository.pushed_at, forwarded for branch mode").isPositive();
        assertThat(detail.path("forced").isBoolean()).isTrue();
        // the push only wakes the check: the authority (here the SSM parameter) names the desired revision
        assertThat(push.path("desired").asText()).isEqualTo(SampleEnvironment.DESIRED.sha());
        assertThat(push.path("note").asText()).contains("the event named " + detail.path("after").asText().substring(0, 7));
        // the same event, routed by the emulator through the template's GitPush rule
        awaitLog(state.resolve("functions.log"), "DriftCheckFunction <- ", "\"detail-type\":\"Git Push\"");

        CliProcess again = CliProcess.run(base, "emulator", "up");
        assertThat(again.stderr()).contains("already running");
        assertThat(again.stdout()).contains("export AWS_ENDPOINT_URL='" + env.get("AWS_ENDPOINT_URL") + "'");

        // day two: the Auto Scaling group launches an instance, and UserData boots it at the old commit
        CliProcess scaled = CliProcess.run(base, "emulator", "scale-out");
        assertThat(scaled.exitCode()).as(scaled.stderr()).isZero();
        List<String> ids = List.of(exports(scaled.stdout()).get("DRIFT_REMEDIATOR_INSTANCE_IDS").split(" "));
        assertThat(ids).hasSize(4);
        String launched = ids.get(3);
        assertThat(scaled.stderr()).contains("launched " + launched);
        String launchedUrl = JSON.readTree(state.resolve("ready.json").toFile()).path("instances").path(3).path("url").asText();
        assertThat(served(launchedUrl)).isEqualTo(SampleEnvironment.BOOTED.sha());
        assertThat(DriftChecks.redeployed(invoke(env, "events/schedule.json"))).containsExactly(launched);
        assertThat(awaitFinished(env).path("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(served(launchedUrl)).isEqualTo(SampleEnvironment.DESIRED.sha());

        CliProcess stackOwn = CliProcess.run(base, "emulator", "replace", ids.get(0));
        assertThat(stackOwn.exitCode()).isEqualTo(1);
        assertThat(stackOwn.stderr()).contains("the stack's own AWS::EC2::Instance");
        CliProcess replaced = CliProcess.run(base, "emulator", "replace", launched);
        assertThat(replaced.exitCode()).as(replaced.stderr()).isZero();
        List<String> after = List.of(exports(replaced.stdout()).get("DRIFT_REMEDIATOR_INSTANCE_IDS").split(" "));
        assertThat(after).hasSize(4).doesNotContain(launched).containsAll(ids.subList(0, 3));
        String replacement = after.get(3);
        assertThat(DriftChecks.redeployed(invoke(env, "events/schedule.json"))).containsExactly(replacement);
        assertThat(awaitFinished(env).path("state").asText()).isEqualTo("SUCCEEDED");

        long pid = Long.parseLong(Files.readString(state.resolve("pid")).strip().split(" ")[0]);
        CliProcess down = CliProcess.run(base, "emulator", "down");
        assertThat(down.exitCode()).isZero();
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(state.resolve("pid")).doesNotExist();
        assertThat(ready.path("instances")).as("the instances' apps stopped with the emulator")
                .allSatisfy(i -> assertThat(served(i.path("url").asText())).startsWith("unreachable"));
    }

    @Test
    void aWebhookSecretOtherThanTheFixturesOneAnswers401() throws Exception {
        Map<String, String> env = new HashMap<>(Map.of("DRIFT_REMEDIATOR_STATE", state.toString()));
        CliProcess up = CliProcess.run(env, "emulator", "up", "--port", Integer.toString(MotoServer.freePort()),
                "--webhook-secret", "not-the-fixture-secret");
        assertThat(up.exitCode()).as(up.stderr()).isZero();
        Matcher m = EXPORT.matcher(up.stdout());
        while (m.find()) env.put(m.group(1), m.group(2));

        CliProcess webhook = CliProcess.run(env, "invoke", "GitHubWebhookFunction", "-e", "events/github-push.json");

        assertThat(webhook.exitCode()).as(webhook.stderr()).isZero();
        assertThat(JSON.readTree(webhook.stdout()).path("statusCode").asInt()).isEqualTo(401);
        assertThat(webhook.stderr()).doesNotContain("not-the-fixture-secret");
    }

    /** What the app on an instance says it runs. */
    private static String served(String url) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(url).resolve("/version").toURL().openConnection();
            c.setConnectTimeout(2000);
            c.setReadTimeout(2000);
            try (var in = c.getInputStream()) {
                return JSON.readTree(in).path("revision").asText();
            }
        } catch (IOException e) {
            return "unreachable: " + e.getMessage();
        }
    }

    /** The newest attempt once it left IN_PROGRESS (the command's results came back through the emulator). */
    private static JsonNode awaitFinished(Map<String, String> env) throws Exception {
        Instant deadline = Instant.now().plusSeconds(90);
        while (true) {
            CliProcess history = CliProcess.run(env, "history", "--json");
            assertThat(history.exitCode()).as(history.stderr()).isZero();
            JsonNode newest = JSON.readTree(history.stdout()).path(0);
            if (!newest.isMissingNode() && !Set.of("PENDING", "IN_PROGRESS").contains(newest.path("state").asText())) {
                return newest;
            }
            assertThat(Instant.now()).as("the attempt finished: " + history.stdout()).isBefore(deadline);
            Thread.sleep(500);
        }
    }

    /** The reports published on the topic, from its SQS subscription, until two seconds pass without one. */
    private static List<JsonNode> reports(Map<String, String> env, JsonNode ready) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        try (SqsClient sqs = SqsClient.builder().endpointOverride(URI.create(env.get("AWS_ENDPOINT_URL")))
                .region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build()) {
            while (true) {
                var messages = sqs.receiveMessage(r -> r.queueUrl(ready.path("reportQueueUrl").asText())
                        .maxNumberOfMessages(10).waitTimeSeconds(2)).messages();
                if (messages.isEmpty()) return out;
                for (var m : messages) out.add(JSON.readTree(JSON.readTree(m.body()).path("Message").asText()));
            }
        }
    }

    private static void awaitLog(Path log, String... parts) throws Exception {
        Instant deadline = Instant.now().plusSeconds(60);
        while (true) {
            String text = Files.exists(log) ? Files.readString(log) : "";
            if (text.lines().anyMatch(l -> java.util.Arrays.stream(parts).allMatch(l::contains))) return;
            assertThat(Instant.now()).as(log + " shows " + List.of(parts)).isBefore(deadline);
            Thread.sleep(300);
        }
    }

    private static Map<String, String> exports(String stdout) {
        Map<String, String> out = new HashMap<>();
        Matcher m = EXPORT.matcher(stdout);
        while (m.find()) out.put(m.group(1), m.group(2));
        return out;
    }

    private static JsonNode invoke(Map<String, String> env, String event) throws IOException {
        CliProcess r = CliProcess.run(env, "invoke", "DriftCheckFunction", "-e", event);
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        return JSON.readTree(r.stdout());
    }

    /** The "Git Push" event the bus delivered to the emulator's SQS target. */
    private static String gitPushOnTheBus(Map<String, String> env, JsonNode envVars) {
        try (SqsClient sqs = SqsClient.builder().endpointOverride(java.net.URI.create(env.get("AWS_ENDPOINT_URL")))
                .region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build()) {
            String queue = sqs.getQueueUrl(r -> r.queueName(envVars.path("Parameters").path("EVENT_BUS_NAME").asText()
                    + "-git-pushes")).queueUrl();
            return sqs.receiveMessage(r -> r.queueUrl(queue).waitTimeSeconds(5)).messages().get(0).body();
        }
    }

}
