package com.driftremediator.handler;

import com.driftremediator.aws.AwsClients;
import com.driftremediator.aws.DynamoLedger;
import com.driftremediator.aws.Settings;
import com.driftremediator.cli.SampleEnvironment;
import com.driftremediator.cli.Template;
import com.driftremediator.domain.Attempt;
import com.driftremediator.domain.AttemptState;
import com.driftremediator.domain.Revision;
import com.driftremediator.testing.MotoServer;
import com.driftremediator.testing.ProjectPaths;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.Command;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The AWS path end to end against the moto server: drift check, SendCommand, ledger, command results, SNS.
 * WireMock stands in front of moto for what moto lacks (DescribeInstanceInformation, RedeployDocument's output)
 * and for injected faults.
 */
class DriftRemediationIT {
    private static final MotoServer MOTO = MotoServer.start();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SSM_JSON = "application/x-amz-json-1.1";
    private static final Revision DESIRED = SampleEnvironment.DESIRED;
    /** The commit the push fixtures in events/ name. */
    private static final Revision PUSHED = Revision.of("194af44c0d5e3b2a1f0e9d8c7b6a5f4e3d2c1b0a");
    private static WireMockServer wire;

    private SampleEnvironment.Provisioned env;
    private AwsClients direct;
    private AwsClients viaWire;

    @BeforeAll
    static void startWireMock() {
        wire = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        wire.start();
    }

    @AfterAll
    static void stop() {
        wire.stop();
        MOTO.close();
    }

    @BeforeEach
    void provision() {
        MOTO.reset();
        wire.resetAll();
        wire.stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse().proxiedFrom(MOTO.endpoint().toString())));
        direct = new AwsClients(MotoServer.REGION, MotoServer.CREDENTIALS, MOTO.endpoint(), fewRetries());
        viaWire = new AwsClients(MotoServer.REGION, MotoServer.CREDENTIALS,
                java.net.URI.create(wire.baseUrl()), fewRetries());
        env = SampleEnvironment.provision(direct, Template.read(ProjectPaths.root().resolve("template.yaml")),
                new SampleEnvironment.Options("beta", "streamr-p2p-beta", 2, false, null, null));
        managed(env.instanceIds());
    }

    /** Three attempts, short back-offs: the fault tests see the retries without waiting seconds. */
    private static software.amazon.awssdk.retries.api.RetryStrategy fewRetries() {
        return AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(3).circuitBreakerEnabled(false)
                .backoffStrategy(BackoffStrategy.fixedDelay(Duration.ofMillis(20)))
                .throttlingBackoffStrategy(BackoffStrategy.fixedDelay(Duration.ofMillis(20))).build();
    }

    @Test
    void stackUpdateCompleteSendsExactlyOneRedeployOfTheDesiredRevision() {
        JsonNode response = driftCheck(fixture("cloudformation-update-complete.json"));

        List<Command> sent = redeploys();
        assertThat(sent).hasSize(1);
        Command c = sent.get(0);
        assertThat(c.parameters().get("Revision")).containsExactly(DESIRED.sha());
        assertThat(c.maxConcurrency()).isEqualTo("50%");
        assertThat(c.maxErrors()).isEqualTo("0");
        assertThat(c.timeoutSeconds()).isEqualTo(600);
        assertThat(c.comment()).isEqualTo("drift-remediator:beta:" + DESIRED.sha() + "#1");
        assertThat(c.instanceIds()).as("explicit ids, never a tag").containsExactlyInAnyOrderElementsOf(env.instanceIds());
        assertThat(c.targets()).isEmpty();
        assertThat(response.path("commandId").asText()).isEqualTo(c.commandId());
        assertThat(response.path("revisionSource").asText()).isEqualTo("ssm parameter /streamr/beta/desired-revision");
        assertThat(response.path("targets")).hasSize(2).allSatisfy(t -> {
            assertThat(t.path("verdict").path("sync").asText()).isEqualTo("UNKNOWN");
            assertThat(t.path("decision").path("action").asText()).isEqualTo("REDEPLOY");
            assertThat(t.path("commandId").asText()).isEqualTo(c.commandId());
        });
        Attempt attempt = ledger().find("beta", Attempt.id(DESIRED, 1)).orElseThrow();
        assertThat(attempt.state()).isEqualTo(AttemptState.IN_PROGRESS);
        assertThat(attempt.commandId()).isEqualTo(c.commandId());
        assertThat(attempt.instances()).containsExactlyInAnyOrderElementsOf(env.instanceIds());
        assertThat(reports()).extracting(m -> m.path("outcome").asText()).containsExactly("STARTED");
        assertThat(ssm().listCommands(r -> {
        }).commands()).filteredOn(x -> x.documentName().equals(env.variables().get("OBSERVE_DOCUMENT")))
                .as("one read-only observe command for the whole fleet").singleElement()
                .satisfies(o -> assertThat(o.instanceIds()).containsExactlyInAnyOrderElementsOf(env.instanceIds()));
    }

    @Test
    void theSameEventFiveTimesSendsOneCommand() {
        for (int i = 0; i < 5; i++) driftCheck(fixture("cloudformation-update-complete.json"));

        assertThat(redeploys()).hasSize(1);
        JsonNode sixth = driftCheck(fixture("cloudformation-update-complete.json"));
        assertThat(sixth.path("commandId").isNull()).isTrue();
        assertThat(sixth.path("targets").path(0).path("decision").path("reason").asText())
                .startsWith("attempt " + DESIRED.sha() + "#1 of this revision is under way");
    }

    @Test
    void twoConcurrentInvocationsSendOneCommand() throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<JsonNode>> answers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            DriftCheckHandler separateContainer = handler(viaWire);
            answers.add(pool.submit(() -> {
                go.await();
                return invoke(separateContainer, fixture("cloudformation-update-complete.json"));
            }));
        }
        go.countDown();
        List<JsonNode> responses = new ArrayList<>();
        for (Future<JsonNode> f : answers) responses.add(f.get());
        pool.shutdown();

        assertThat(redeploys()).hasSize(1);
        assertThat(responses).filteredOn(r -> !r.path("commandId").isNull()).hasSize(1);
    }

    @Test
    void aRevisionThatFailedIsNotRetriedAutomatically() {
        Instant t = Instant.parse("2026-11-26T14:00:00Z");
        Attempt pending = Attempt.pending("beta", DESIRED, 1, env.instanceIds(), null, "stale", t);
        ledger().claim(pending, t.plusSeconds(60), t);
        Attempt sent = pending.withCommand("cmd-1", env.instanceIds(), t).moveTo(AttemptState.IN_PROGRESS, "sent", t);
        ledger().transition(sent, AttemptState.PENDING);
        ledger().transition(sent.moveTo(AttemptState.FAILED, "health check failed", t), AttemptState.IN_PROGRESS);
        ledger().releaseLock("beta", pending.id());

        JsonNode response = driftCheck(fixture("cloudformation-update-complete.json"));

        assertThat(redeploys()).isEmpty();
        assertThat(response.path("targets")).allSatisfy(r -> {
            assertThat(r.path("decision").path("action").asText()).isEqualTo("SKIP");
            assertThat(r.path("decision").path("reason").asText()).contains("revision " + DESIRED.shortSha() + " attempt 1 ended FAILED")
                    .contains("not redeployed automatically");
        });
    }

    @Test
    void rollbackAndOtherStacksSendNothing() {
        assertThat(driftCheck(fixture("cloudformation-update-rollback-complete.json")).path("ignored").asText())
                .contains("UPDATE_ROLLBACK_COMPLETE");
        assertThat(driftCheck(fixture("cloudformation-other-stack.json")).path("ignored").asText())
                .contains("billing-service-prod");
        assertThat(redeploys()).isEmpty();
        assertThat(ledger().recent("beta", 10)).isEmpty();
    }

    @Test
    void anInstanceSsmDoesNotManageIsUnreachableWithTheLikelyCauseAndNotSent() {
        managed(env.instanceIds().subList(0, 1));

        JsonNode response = driftCheck(fixture("manual-check.json"));

        JsonNode unmanaged = target(response, env.instanceIds().get(1));
        assertThat(unmanaged.path("verdict").path("health").asText()).isEqualTo("UNREACHABLE");
        assertThat(unmanaged.path("decision").path("action").asText()).isEqualTo("SKIP");
        assertThat(unmanaged.path("decision").path("reason").asText()).contains("AmazonSSMManagedInstanceCore");
        assertThat(ledger().find("beta", Attempt.id(DESIRED, 1)).orElseThrow().instances()).containsExactly(env.instanceIds().get(0));
    }

    @Test
    void commandResultsUpdateTheLedgerOncePerInstanceAndPublishTheOutcome() throws IOException {
        String commandId = driftCheck(fixture("cloudformation-update-complete.json")).path("commandId").asText();
        for (String instance : env.instanceIds()) {
            redeployOutput(commandId, instance, "{\"result\":\"deployed\",\"revision\":\"" + DESIRED.sha()
                    + "\",\"previous\":\"" + SampleEnvironment.BOOTED.sha() + "\",\"serving\":\"" + DESIRED.sha()
                    + "\",\"message\":\"switched to 194af44, healthy\"}\n...pip output...");
        }
        CommandResultHandler results = new CommandResultHandler(new AwsWiring(new Settings(variables()), viaWire));

        JsonNode first = invoke(results, statusEvent(commandId, env.instanceIds().get(0)));
        JsonNode last = invoke(results, statusEvent(commandId, env.instanceIds().get(1)));
        JsonNode duplicate = invoke(results, statusEvent(commandId, env.instanceIds().get(1)));

        assertThat(first.path("published").isNull()).isTrue();
        assertThat(last.path("published").path("outcome").asText()).isEqualTo("REMEDIATED");
        assertThat(duplicate.path("published").isNull()).isTrue();
        Attempt attempt = ledger().find("beta", Attempt.id(DESIRED, 1)).orElseThrow();
        assertThat(attempt.state()).isEqualTo(AttemptState.SUCCEEDED);
        assertThat(attempt.results()).hasSize(2);
        List<JsonNode> published = reports();
        assertThat(published).extracting(m -> m.path("outcome").asText()).containsExactly("STARTED", "REMEDIATED");
        JsonNode remediated = published.get(1);
        assertThat(remediated.path("desired").asText()).isEqualTo(DESIRED.sha());
        assertThat(remediated.path("commandId").asText()).isEqualTo(commandId);
        assertThat(remediated.path("links").path("command").asText()).contains("/systems-manager/run-command/" + commandId);
        assertThat(remediated.path("links").path("logs").asText()).contains("$252Fdrift-remediator$252Fbeta$252Fredeploy");
        assertThat(remediated.path("_attributes").path("outcome").asText()).isEqualTo("REMEDIATED");
        assertThat(remediated.path("_attributes").path("environment").asText()).isEqualTo("beta");
    }

    @Test
    void aSuccessWithoutTheDocumentsSummaryIsRecordedAsFailed() throws IOException {
        // moto never runs the script: Success with empty output, which proves nothing about the release
        String commandId = driftCheck(fixture("manual-check.json")).path("commandId").asText();
        CommandResultHandler results = new CommandResultHandler(new AwsWiring(new Settings(variables()), viaWire));

        for (String instance : env.instanceIds()) invoke(results, statusEvent(commandId, instance));

        assertThat(ledger().find("beta", Attempt.id(DESIRED, 1)).orElseThrow().state()).isEqualTo(AttemptState.FAILED);
        var published = reports();
        assertThat(published).extracting(m -> m.path("outcome").asText()).containsExactly("STARTED", "FAILED");
        // every failure is diagnosed (DiagnoseDocument through the same SSM path) before it is published
        assertThat(published.get(1).path("diagnosis").asText()).as("the FAILED report's diagnosis")
                .contains(env.instanceIds().get(0) + ": ");
    }

    @Test
    void throttledSendCommandIsRetriedAndSentOnce() {
        wire.stubFor(redeployCall().inScenario("throttle").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(throttled()).willSetStateTo("throttled once").atPriority(1));
        wire.stubFor(redeployCall().inScenario("throttle").whenScenarioStateIs("throttled once")
                .willReturn(throttled()).willSetStateTo("recovered").atPriority(1));

        JsonNode response = driftCheck(fixture("cloudformation-update-complete.json"));

        assertThat(sendCommandRequests()).isEqualTo(3);
        assertThat(redeploys()).hasSize(1);
        assertThat(response.path("commandId").asText()).isEqualTo(redeploys().get(0).commandId());
    }

    @Test
    void persistentServerErrorsAreReportedClearlyAndLeaveNothingInTheLedger() throws IOException {
        wire.stubFor(redeployCall().atPriority(1).willReturn(aResponse().withStatus(500)
                .withHeader("Content-Type", SSM_JSON)
                .withBody("{\"__type\":\"InternalServerError\",\"message\":\"We encountered an internal error\"}")));

        assertThatThrownBy(() -> driftCheck(fixture("cloudformation-update-complete.json")))
                .isInstanceOf(SdkException.class).hasMessageContaining("internal error");

        assertThat(sendCommandRequests()).isEqualTo(3);
        assertThat(ledger().find("beta", Attempt.id(DESIRED, 1))).isEmpty();
        assertThat(reports()).singleElement().satisfies(m -> {
            assertThat(m.path("outcome").asText()).isEqualTo("FAILED");
            assertThat(m.path("verdictReason").asText()).startsWith("redeploy not sent: ").contains("internal error");
        });
        wire.resetAll();
        wire.stubFor(any(anyUrl()).willReturn(aResponse().proxiedFrom(MOTO.endpoint().toString())));
        managed(env.instanceIds());
        assertThat(driftCheck(fixture("cloudformation-update-complete.json")).path("commandId").isNull()).isFalse();
        assertThat(redeploys()).hasSize(1);
    }

    @Test
    void aLedgerThatKeepsFailingStopsTheCheckBeforeAnythingIsSent() {
        wire.stubFor(post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("DynamoDB_20120810.TransactWriteItems"))
                .atPriority(1).willReturn(aResponse().withStatus(503).withHeader("Content-Type", "application/x-amz-json-1.0")
                        .withBody("{\"__type\":\"com.amazonaws.dynamodb.v20120810#ServiceUnavailable\",\"message\":\"Service unavailable\"}")));

        assertThatThrownBy(() -> driftCheck(fixture("cloudformation-update-complete.json")))
                .isInstanceOf(SdkException.class).hasMessageContaining("Service unavailable");

        assertThat(redeploys()).isEmpty();
        assertThat(ledger().recent("beta", 10)).isEmpty();
    }

    @Test
    void aPushWhileTheStackUpdatesIsDeferredAndNeverRewritesTheAuthority() {
        Revision pushed = Revision.of("9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c");
        wire.stubFor(post(urlEqualTo("/")).withRequestBody(containing("Action=DescribeStacks")).atPriority(1)
                .willReturn(aResponse().withHeader("Content-Type", "text/xml").withBody(describeStacks("UPDATE_IN_PROGRESS"))));

        JsonNode deferred = driftCheck(fixture("git-push-event.json").replace(PUSHED.sha(), pushed.sha()));

        assertThat(deferred.path("deferred").asText()).startsWith("stack is UPDATE_IN_PROGRESS: the stack-complete event will act");
        assertThat(redeploys()).isEmpty();
        assertThat(ssm().getParameter(r -> r.name("/streamr/beta/desired-revision")).parameter().value()).isEqualTo(DESIRED.sha());

        wire.removeStub(wire.getStubMappings().stream().filter(s -> s.getPriority() != null && s.getPriority() == 1)
                .filter(s -> s.getRequest().toString().contains("DescribeStacks")).findFirst().orElseThrow());
        JsonNode complete = driftCheck(fixture("cloudformation-update-complete.json"));

        assertThat(redeploys()).singleElement().satisfies(c -> assertThat(c.parameters().get("Revision")).containsExactly(DESIRED.sha()));
        assertThat(complete.path("desired").asText()).isEqualTo(DESIRED.sha());
    }

    @Test
    void aPushOrACodeCommitUpdateOnlyWakesTheCheckAndTheAuthorityDecides() {
        Revision pushed = Revision.of("aaaabbbbccccddddeeeeffff0000111122223333");
        JsonNode push = driftCheck(fixture("git-push-event.json").replace(PUSHED.sha(), pushed.sha()));
        assertThat(push.path("desired").asText()).isEqualTo(DESIRED.sha());
        assertThat(push.path("revisionSource").asText()).isEqualTo("ssm parameter /streamr/beta/desired-revision");
        assertThat(push.path("note").asText()).contains("the event named aaaabbb");
        assertThat(redeploys()).singleElement().satisfies(c -> assertThat(c.parameters().get("Revision")).containsExactly(DESIRED.sha()));

        JsonNode codeCommit = driftCheck(fixture("codecommit-reference-updated.json").replace(PUSHED.sha(), pushed.sha()));
        assertThat(codeCommit.path("desired").asText()).isEqualTo(DESIRED.sha());
        assertThat(redeploys()).hasSize(1);
        assertThat(ssm().getParameter(r -> r.name("/streamr/beta/desired-revision")).parameter().value()).isEqualTo(DESIRED.sha());
    }

    @Test
    void aResultForACommandSsmDoesNotKnowIsLoggedAndIgnoredNotFailed() throws IOException {
        CommandResultHandler results = new CommandResultHandler(new AwsWiring(new Settings(variables()), viaWire));
        JsonNode r = invoke(results, statusEvent("11111111-2222-3333-4444-555555555555", env.instanceIds().get(0)));
        assertThat(r.path("note").asText()).contains("unknown to SSM");
        assertThat(r.path("published").isNull()).isTrue();
    }

    @Test
    void aCommandSentButNeverRecordedIsAdoptedByItsResult() throws IOException {
        wire.stubFor(post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("DynamoDB_20120810.UpdateItem"))
                .atPriority(1).willReturn(aResponse().withStatus(503).withHeader("Content-Type", "application/x-amz-json-1.0")
                        .withBody("{\"__type\":\"com.amazonaws.dynamodb.v20120810#ServiceUnavailable\",\"message\":\"Service unavailable\"}")));
        assertThatThrownBy(() -> driftCheck(fixture("manual-check.json"))).isInstanceOf(SdkException.class);
        wire.resetAll();
        wire.stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse().proxiedFrom(MOTO.endpoint().toString())));
        managed(env.instanceIds());
        String commandId = redeploys().get(0).commandId();
        assertThat(ledger().find("beta", Attempt.id(DESIRED, 1)).orElseThrow().state()).isEqualTo(AttemptState.PENDING);
        for (String instance : env.instanceIds()) {
            redeployOutput(commandId, instance, "{\"result\":\"deployed\",\"revision\":\"" + DESIRED.sha()
                    + "\",\"serving\":\"" + DESIRED.sha() + "\",\"message\":\"switched\",\"exitCode\":0}");
        }
        CommandResultHandler results = new CommandResultHandler(new AwsWiring(new Settings(variables()), viaWire));

        invoke(results, statusEvent(commandId, env.instanceIds().get(0)));
        JsonNode last = invoke(results, statusEvent(commandId, env.instanceIds().get(1)));

        assertThat(last.path("published").path("outcome").asText()).isEqualTo("REMEDIATED");
        Attempt adopted = ledger().find("beta", Attempt.id(DESIRED, 1)).orElseThrow();
        assertThat(adopted.state()).isEqualTo(AttemptState.SUCCEEDED);
        assertThat(adopted.commands()).containsKey(commandId);
        assertThat(ledger().lock("beta")).isEmpty();
        assertThat(redeploys()).hasSize(1);
    }

    @Test
    void theScheduleTimesOutAttemptsStuckInProgressAndChecksAgain() {
        Instant longAgo = Instant.now().minus(Duration.ofHours(3));
        Revision stuck = Revision.of("aaaabbbbccccddddeeeeffff0000111122223333");
        Attempt pending = Attempt.pending("beta", stuck, 1, env.instanceIds(), null, "stale", longAgo);
        ledger().claim(pending, longAgo.plusSeconds(60), longAgo);
        ledger().transition(pending.withCommand("cmd-lost", env.instanceIds(), longAgo)
                .moveTo(AttemptState.IN_PROGRESS, "sent", longAgo), AttemptState.PENDING);

        JsonNode response = driftCheck(fixture("schedule.json"));

        assertThat(response.path("reconciled")).singleElement()
                .satisfies(r -> assertThat(r.path("outcome").asText()).isEqualTo("TIMED_OUT"));
        assertThat(ledger().find("beta", Attempt.id(stuck, 1)).orElseThrow().state()).isEqualTo(AttemptState.TIMED_OUT);
        assertThat(response.path("commandId").isNull()).isFalse();
        assertThat(redeploys()).hasSize(1);
    }

    // --- helpers -------------------------------------------------------------------------------

    private Map<String, String> variables() {
        Map<String, String> v = new HashMap<>(env.variables());
        v.put("GIT_BRANCH", "main");
        v.put("GIT_REPOSITORY", "example/streamr-p2p");
        v.put("CODECOMMIT_REPOSITORY", "streamr-p2p");
        return v;
    }

    private DriftCheckHandler handler(AwsClients clients) {
        return new DriftCheckHandler(new AwsWiring(new Settings(variables()), clients));
    }

    private JsonNode driftCheck(String event) {
        try {
            return invoke(handler(viaWire), event);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode invoke(com.amazonaws.services.lambda.runtime.RequestStreamHandler h, String event)
            throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        h.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, null);
        return JSON.readTree(out.toByteArray());
    }

    private static JsonNode target(JsonNode response, String instanceId) {
        for (JsonNode t : response.path("targets")) if (t.path("instanceId").asText().equals(instanceId)) return t;
        throw new AssertionError("no target " + instanceId + " in " + response);
    }

    private String statusEvent(String commandId, String instanceId) {
        return fixture("ssm-command-invocation-success.json").replace("e8d3c0e4-71f7-4491-898f-c9b35bee5f3b", commandId)
                .replace("i-0abc1234def567890", instanceId);
    }

    private static String fixture(String name) {
        return EventParserTest.fixture(name);
    }

    private DynamoLedger ledger() {
        return new DynamoLedger(direct.build(DynamoDbClient.builder()), env.variables().get("LEDGER_TABLE"));
    }

    private SsmClient ssm() {
        return direct.build(SsmClient.builder());
    }

    private List<Command> redeploys() {
        return ssm().listCommands(r -> {
        }).commands().stream().filter(c -> c.documentName().equals(env.variables().get("REDEPLOY_DOCUMENT"))).toList();
    }

    /** Messages on the topic, read through its SQS subscription; message attributes under "_attributes". */
    private List<JsonNode> reports() {
        SqsClient sqs = direct.build(SqsClient.builder());
        List<JsonNode> out = new ArrayList<>();
        List<Message> batch;
        do {
            batch = sqs.receiveMessage(r -> r.queueUrl(env.reportQueueUrl()).maxNumberOfMessages(10).waitTimeSeconds(0))
                    .messages();
            for (Message m : batch) {
                try {
                    JsonNode envelope = JSON.readTree(m.body());
                    com.fasterxml.jackson.databind.node.ObjectNode message =
                            (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(envelope.path("Message").asText());
                    com.fasterxml.jackson.databind.node.ObjectNode attributes = message.putObject("_attributes");
                    envelope.path("MessageAttributes").fields().forEachRemaining(
                            e -> attributes.put(e.getKey(), e.getValue().path("Value").asText()));
                    out.add(message);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
                sqs.deleteMessage(r -> r.queueUrl(env.reportQueueUrl()).receiptHandle(m.receiptHandle()));
            }
        } while (!batch.isEmpty());
        out.sort(java.util.Comparator.comparing(m -> m.path("outcome").asText().equals("STARTED") ? 0 : 1));
        return out;
    }

    private void managed(List<String> instanceIds) {
        StringBuilder list = new StringBuilder();
        for (String id : instanceIds) {
            if (list.length() > 0) list.append(',');
            list.append("{\"InstanceId\":\"").append(id).append("\",\"PingStatus\":\"Online\",\"LastPingDateTime\":")
                    .append(Instant.now().getEpochSecond()).append(",\"AgentVersion\":\"3.3.2746.0\",\"PlatformType\":\"Linux\",")
                    .append("\"ResourceType\":\"EC2Instance\"}");
        }
        wire.stubFor(post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("AmazonSSM.DescribeInstanceInformation"))
                .atPriority(2).willReturn(aResponse().withHeader("Content-Type", SSM_JSON)
                        .withBody("{\"InstanceInformationList\":[" + list + "]}")));
    }

    private void redeployOutput(String commandId, String instanceId, String stdout) throws IOException {
        Map<String, Object> body = Map.of("CommandId", commandId, "InstanceId", instanceId,
                "DocumentName", env.variables().get("REDEPLOY_DOCUMENT"), "Status", "Success", "StatusDetails", "Success",
                "ResponseCode", 0, "StandardOutputContent", stdout, "StandardErrorContent", "");
        wire.stubFor(post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("AmazonSSM.GetCommandInvocation"))
                .withRequestBody(matchingJsonPath("$.CommandId", equalTo(commandId)))
                .withRequestBody(matchingJsonPath("$.InstanceId", equalTo(instanceId)))
                .atPriority(1).willReturn(aResponse().withHeader("Content-Type", SSM_JSON)
                        .withBody(JSON.writeValueAsString(body))));
    }

    private MappingBuilder redeployCall() {
        return post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("AmazonSSM.SendCommand"))
                .withRequestBody(matchingJsonPath("$.DocumentName", equalTo(env.variables().get("REDEPLOY_DOCUMENT"))));
    }

    private static ResponseDefinitionBuilder throttled() {
        return aResponse().withStatus(400).withHeader("Content-Type", SSM_JSON)
                .withBody("{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}");
    }

    private int sendCommandRequests() {
        return wire.findAll(postRequestedFor(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("AmazonSSM.SendCommand"))
                .withRequestBody(matchingJsonPath("$.DocumentName", equalTo(env.variables().get("REDEPLOY_DOCUMENT"))))).size();
    }

    private static String describeStacks(String status) {
        return """
                <DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
                  <DescribeStacksResult><Stacks><member>
                    <StackName>streamr-p2p-beta</StackName>
                    <StackId>arn:aws:cloudformation:eu-west-1:123456789012:stack/streamr-p2p-beta/5b8f7c10</StackId>
                    <StackStatus>%s</StackStatus>
                    <CreationTime>2026-11-20T09:00:00Z</CreationTime>
                  </member></Stacks></DescribeStacksResult>
                  <ResponseMetadata><RequestId>1</RequestId></ResponseMetadata>
                </DescribeStacksResponse>""".formatted(status);
    }
}
