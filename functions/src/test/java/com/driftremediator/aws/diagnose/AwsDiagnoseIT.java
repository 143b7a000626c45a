package com.driftremediator.aws.diagnose;

import com.driftremediator.domain.Diagnoser;
import com.driftremediator.domain.Diagnosis;
import com.driftremediator.domain.Diagnosis.Verdict;
import com.driftremediator.domain.Target;
import com.driftremediator.domain.Revision;
import com.driftremediator.local.Agent;
import com.driftremediator.local.Sandbox;
import com.driftremediator.local.SsmDocument;
import com.driftremediator.testing.MotoServer;
import com.driftremediator.testing.ProjectPaths;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.DocumentFormat;
import software.amazon.awssdk.services.ssm.model.DocumentType;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The whole diagnosis through the AWS adapter against the moto server (EC2 UserData, LaunchTime, tags, stacks,
 * SendCommand), with WireMock in front for what moto lacks: DescribeInstanceInformation (HTTP 500 in moto) and the
 * output of GetCommandInvocation (moto never runs commands), which is DiagnoseDocument's output on a sandbox instance
 * that UserData provisioned, run there by its agent.
 */
class AwsDiagnoseIT {
    static final MotoServer MOTO = MotoServer.start();
    static final WireMockServer PROXY = new WireMockServer(options().dynamicPort());
    static final String DOCUMENT = "drift-remediator-diagnose-beta";
    static final String STACK = "streamr-p2p-beta";
    static final String NEW = "194af44" + "1".repeat(33);
    static final String JSON_11 = "application/x-amz-json-1.1";
    static final ObjectMapper JSON = new ObjectMapper();
    static final SsmDocument DIAGNOSE = SsmDocument.fromTemplate(ProjectPaths.root().resolve("template.yaml"),
            "DiagnoseDocument");

    static {
        PROXY.start();
    }

    private final Ec2Client ec2 = client(Ec2Client.builder());
    private final SsmClient ssm = client(SsmClient.builder());
    private final CloudFormationClient cfn = client(CloudFormationClient.builder());
    private final Diagnoser diagnoser = new Diagnoser(new AwsDiagnosticSource(ec2, ssm, cfn,
            new AwsDiagnosticSource.Settings(DOCUMENT, "/home/ec2-user/app", "streamr-app", "/var/log/cloud-init-output.log",
                    null, Duration.ofSeconds(10), Duration.ofMillis(200))), null);
    /** Not @TempDir: its clean-up warns about every venv link to the system python. */
    private Path tmp;
    private Sandbox sandbox;
    /** moto's image list is long: read it once (the ids do not change across resets). */
    private static String image;

    @AfterAll
    static void stop() {
        PROXY.stop();
        MOTO.close();
    }

    @AfterEach
    void stopTheInstance() throws IOException {
        if (sandbox != null) sandbox.close();
        if (tmp == null) return;
        try (Stream<Path> files = Files.walk(tmp)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @BeforeEach
    void fresh() throws IOException {
        MOTO.reset();
        PROXY.resetAll();
        PROXY.stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse().proxiedFrom(MOTO.endpoint().toString())));
        JsonNode content = new YAMLMapper().readTree(ProjectPaths.root().resolve("template.yaml").toFile())
                .path("Resources").path("DiagnoseDocument").path("Properties").path("Content");
        ssm.createDocument(r -> r.name(DOCUMENT).documentType(DocumentType.COMMAND).documentFormat(DocumentFormat.JSON)
                .content(content.toString()));
    }

    /** The stack's last update (its newest event in moto) comes after the instances booted, as in the incident. */
    private void stackUpdatedToNew() {
        cfn.createStack(r -> r.stackName(STACK).templateBody("""
                {"Parameters": {"AppRevision": {"Type": "String"}},
                 "Resources": {"Topic": {"Type": "AWS::SNS::Topic"}},
                 "Outputs": {"DeployedRevision": {"Value": {"Ref": "AppRevision"}}}}""")
                .parameters(p -> p.parameterKey("AppRevision").parameterValue(NEW)));
    }

    @Test
    void staleSinceBootThroughTheWholeAdapterRetryingUntilTheInvocationExists() throws Exception {
        String id = launch(b64("#!/bin/bash\ngit clone https://github.com/example/streamr-p2p.git /home/ec2-user/app\n"));
        Instant launched = launchTime(id);
        Revision old = bootedAt("v1");
        stackUpdatedToNew();
        agentOnline(id);
        invocationAppearsLate(id, diagnoseOnTheInstance());

        Diagnosis d = diagnoser.diagnose(new Target(id), STACK, null);

        assertThat(d.verdict()).isEqualTo(Verdict.STALE_SINCE_BOOT);
        assertThat(d.explanation()).startsWith("service started at boot ")
                .contains("app directory at " + old.shortSha() + ", desired 194af44 (stack output DeployedRevision)")
                .contains("UserData installs the app once and nothing updates it");
        assertThat(d.facts().instance().launchTime()).isEqualTo(launched);
        assertThat(d.facts().instance().tags()).containsEntry("Name", "streamr-app");
        assertThat(d.facts().stackUpdatedAt()).as("moto sets no LastUpdatedTime: the newest stack event").isNotNull();
        assertThat(d.facts().host().service().command()).isEqualTo(sandbox.appDirectory() + "/.venv/bin/python app.py");
        JsonNode sent = sentCommand();
        assertThat(sent.path("DocumentName").asText()).isEqualTo(DOCUMENT);
        assertThat(sent.path("InstanceIds").get(0).asText()).isEqualTo(id);
        assertThat(sent.path("Parameters").path("ServiceName").get(0).asText()).isEqualTo("streamr-app");
    }

    @Test
    void setupFailedFromAGzippedMimeUserDataAndAFailedFirstBoot() throws Exception {
        byte[] mime = Files.readAllBytes(Path.of("src/test/resources/diagnose/userdata-mime.txt"));
        String id = launch(Base64.getEncoder().encodeToString(gzip(mime)));
        stackUpdatedToNew();
        // the first boot fails: UserData asks for a commit the repository does not have, before it writes the unit
        assertThatThrownBy(() -> bootedAt(Revision.of("0123456789abcdef0123456789abcdef01234567")))
                .hasMessageContaining("UserData failed");
        agentOnline(id);
        invocation(id, diagnoseOnTheInstance());

        Diagnosis d = diagnoser.diagnose(new Target(id), STACK, null);

        assertThat(d.verdict()).isEqualTo(Verdict.SETUP_FAILED);
        assertThat(d.explanation()).startsWith("Unit streamr-app is not installed (LoadState=not-found); cloud-init finished, "
                + "its log shows ").containsPattern("its log shows [1-9]\\d* error line\\(s\\), last: .*the UserData script exited");
        assertThat(d.facts().userData().notes()).containsExactly("gzip-compressed", "MIME multipart with 2 part(s)");
        assertThat(d.facts().userData().script()).contains("# runcmd (first boot only, as a shell script)");
    }

    @Test
    void unreachableWhenSystemsManagerDoesNotKnowTheInstance() {
        String id = launch(b64("#!/bin/bash\necho hi\n"));
        PROXY.stubFor(ssmCall("DescribeInstanceInformation", id).willReturn(json("{\"InstanceInformationList\": []}")));

        Diagnosis d = diagnoser.diagnose(new Target(id), STACK, null);

        assertThat(d.verdict()).isEqualTo(Verdict.UNREACHABLE);
        assertThat(d.explanation()).contains("no instance profile").contains("AmazonSSMManagedInstanceCore");
        PROXY.verify(0, postRequestedFor(anyUrl()).withHeader("X-Amz-Target", equalTo("AmazonSSM.SendCommand")));
    }

    @Test
    void triesTheCommandWhenSystemsManagerCannotSayAndReportsAnEmptyAnswer() {
        String id = launch(b64("#!/bin/bash\necho hi\n"));

        Diagnosis d = diagnoser.diagnose(new Target(id), STACK, null);

        assertThat(d.verdict()).isEqualTo(Verdict.UNREACHABLE);
        assertThat(d.explanation()).matches("the diagnostic command did not answer: command \\S+ succeeded but printed "
                + "nothing \\(an emulator such as moto records commands without running them\\)\\.");
        assertThat(MOTO.data()).contains(DOCUMENT);
    }

    @Test
    void unreachableWhenTheCommandTimesOut() {
        String id = launch(null);
        agentOnline(id);
        PROXY.stubFor(ssmCall("GetCommandInvocation", id).willReturn(json(
                "{\"Status\": \"TimedOut\", \"StatusDetails\": \"DeliveryTimedOut\", \"StandardOutputContent\": \"\"}")));

        Diagnosis d = diagnoser.diagnose(new Target(id), STACK, null);

        assertThat(d.verdict()).isEqualTo(Verdict.UNREACHABLE);
        assertThat(d.explanation()).matches("the diagnostic command did not answer: command \\S+ ended TimedOut "
                + "\\(DeliveryTimedOut\\)\\. The instance has no UserData\\.");
    }

    @Test
    void notRunningWhenStoppedOrTerminatedWithoutAskingTheInstance() {
        String stopped = launch(b64("#!/bin/bash\necho hi\n"));
        String terminated = launch(null);
        ec2.stopInstances(r -> r.instanceIds(stopped));
        ec2.terminateInstances(r -> r.instanceIds(terminated));

        Diagnosis s = diagnoser.diagnose(new Target(stopped), STACK, null);
        Diagnosis t = diagnoser.diagnose(new Target(terminated), STACK, null);
        Diagnosis gone = diagnoser.diagnose(new Target("i-0aaaaaaaaaaaaaaaa"), STACK, null);

        assertThat(s.verdict()).isEqualTo(Verdict.NOT_RUNNING);
        assertThat(s.explanation()).startsWith("instance is stopped (launched ");
        assertThat(t.explanation()).startsWith("instance is terminated (launched ").contains("it is gone");
        assertThat(gone.explanation()).contains("was not found");
        PROXY.verify(0, postRequestedFor(anyUrl()).withHeader("X-Amz-Target", equalTo("AmazonSSM.SendCommand")));
    }

    @Test
    void staleSinceBootWithoutUserDataFromAGitCheckout() throws Exception {
        String id = launch(null);
        Revision checkout = bootedAt("v1");
        stackUpdatedToNew();
        agentOnline(id);
        invocation(id, diagnoseOnTheInstance());

        Diagnosis d = diagnoser.diagnose(new Target(id), STACK, null);

        assertThat(d.facts().userData().present()).isFalse();
        assertThat(d.facts().host().app().revision()).isEqualTo(checkout);
        assertThat(d.verdict()).isEqualTo(Verdict.STALE_SINCE_BOOT);
        assertThat(d.explanation()).contains("the instance has no UserData, so the app came from the image");
    }

    @Test
    void theCommandLineDiagnosesThroughAwsEndpointUrl() throws Exception {
        String id = launch(b64("#!/bin/bash\ngit clone https://github.com/example/streamr-p2p.git /home/ec2-user/app\n"));
        bootedAt("v1");
        stackUpdatedToNew();
        agentOnline(id);
        invocation(id, diagnoseOnTheInstance());

        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "com.driftremediator.cli.Main",
                "diagnose", "--instance-id", id, "--stack", STACK, "--format", "json", "--region", MotoServer.REGION.id()));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(Map.of("AWS_ENDPOINT_URL", "http://127.0.0.1:" + PROXY.port(),
                "AWS_ACCESS_KEY_ID", "testing", "AWS_SECRET_ACCESS_KEY", "testing"));
        pb.environment().remove("AWS_PROFILE");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(p.waitFor()).as(err).isZero();
        JsonNode json = JSON.readTree(out);
        assertThat(json.path("verdict").asText()).isEqualTo("STALE_SINCE_BOOT");
        assertThat(json.path("facts").path("desired").path("revision").asText()).isEqualTo(NEW);
    }

    /** The instance's first boot: UserData installs the sample app's commit {@code name} (v1, ...). */
    private Revision bootedAt(String name) throws IOException {
        return bootedAt(instance().repository().revision(name));
    }

    private Revision bootedAt(Revision revision) throws IOException {
        instance().provision(revision);
        return revision;
    }

    private Sandbox instance() throws IOException {
        if (sandbox == null) {
            tmp = Files.createTempDirectory("aws-diagnose-it-");
            sandbox = Sandbox.create(tmp.resolve("sandbox"), ProjectPaths.root().resolve("examples/streamr-app"));
        }
        return sandbox;
    }

    /** What GetCommandInvocation would return: DiagnoseDocument run on the sandbox instance by its agent. */
    private String diagnoseOnTheInstance() {
        Agent.Invocation run = new Agent(sandbox).run("diagnose", DIAGNOSE, DIAGNOSE.resolve(sandbox.diagnoseParameters()));
        assertThat(run.status()).as(run.stderr()).isEqualTo("Success");
        return run.stdout();
    }

    private String launch(String userDataBase64) {
        if (image == null) image = ec2.describeImages(r -> r.owners("amazon")).images().get(0).imageId();
        String ami = image;
        return ec2.runInstances(r -> {
            r.imageId(ami).instanceType("t3.micro").minCount(1).maxCount(1)
                    .tagSpecifications(TagSpecification.builder().resourceType(ResourceType.INSTANCE)
                            .tags(Tag.builder().key("Name").value("streamr-app").build(),
                                    Tag.builder().key("drift-remediator:app").value("streamr-app").build()).build());
            if (userDataBase64 != null) r.userData(userDataBase64);
        }).instances().get(0).instanceId();
    }

    private Instant launchTime(String id) {
        var i = ec2.describeInstances(r -> r.instanceIds(id)).reservations().get(0).instances().get(0);
        assertThat(i.state().name()).isEqualTo(InstanceStateName.RUNNING);
        return i.launchTime();
    }

    private void agentOnline(String id) {
        PROXY.stubFor(ssmCall("DescribeInstanceInformation", id).willReturn(json("""
                {"InstanceInformationList": [{"InstanceId": "%s", "PingStatus": "Online", "AgentVersion": "3.3.987.0",
                 "LastPingDateTime": %d, "PlatformType": "Linux", "ResourceType": "EC2Instance"}]}"""
                .formatted(id, Instant.now().getEpochSecond()))));
    }

    private void invocation(String id, String stdout) {
        PROXY.stubFor(ssmCall("GetCommandInvocation", id).willReturn(json(success(id, stdout))));
    }

    /** Right after SendCommand the invocation does not exist yet, then it runs, then it has finished. */
    private void invocationAppearsLate(String id, String stdout) {
        String s = "invocation";
        PROXY.stubFor(ssmCall("GetCommandInvocation", id).inScenario(s).whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", JSON_11)
                        .withBody("{\"__type\": \"InvocationDoesNotExist\", \"message\": \"not yet\"}"))
                .willSetStateTo("registered"));
        PROXY.stubFor(ssmCall("GetCommandInvocation", id).inScenario(s).whenScenarioStateIs("registered")
                .willReturn(json("{\"Status\": \"InProgress\", \"StatusDetails\": \"InProgress\"}")).willSetStateTo("done"));
        PROXY.stubFor(ssmCall("GetCommandInvocation", id).inScenario(s).whenScenarioStateIs("done")
                .willReturn(json(success(id, stdout))));
    }

    private static String success(String id, String stdout) {
        var n = JSON.createObjectNode().put("InstanceId", id).put("DocumentName", DOCUMENT).put("Status", "Success")
                .put("StatusDetails", "Success").put("ResponseCode", 0).put("StandardOutputContent", stdout)
                .put("StandardErrorContent", "");
        return n.toString();
    }

    private static com.github.tomakehurst.wiremock.client.MappingBuilder ssmCall(String action, String instanceId) {
        return post(urlEqualTo("/")).atPriority(1).withHeader("X-Amz-Target", equalTo("AmazonSSM." + action))
                .withRequestBody(containing(instanceId));
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", JSON_11).withBody(body);
    }

    private JsonNode sentCommand() throws IOException {
        var sent = PROXY.findAll(postRequestedFor(anyUrl()).withHeader("X-Amz-Target", equalTo("AmazonSSM.SendCommand")));
        assertThat(sent).hasSize(1);
        return JSON.readTree(sent.get(0).getBodyAsString());
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }

    private static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C client(B builder) {
        return builder.endpointOverride(URI.create("http://127.0.0.1:" + PROXY.port())).region(MotoServer.REGION)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .overrideConfiguration(ClientOverrideConfiguration.builder().retryStrategy(RetryMode.STANDARD).build())
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }
}
