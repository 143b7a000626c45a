package com.driftremediator.cli;

import com.driftremediator.domain.Revision;
import com.driftremediator.local.Sandbox;
import com.driftremediator.testing.MotoServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.InvalidInstanceIdException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The whole loop on the AWS path, through the real handlers and AWS adapters against the emulator, whose instances
 * run the documents: DriftCheck, SendCommand, the document on the instance, its status event, CommandResult, the
 * ledger, SNS, Slack (a loopback webhook).
 */
class EmulatorLoopIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration QUIET = Duration.ofMinutes(2);

    @TempDir
    Path state;

    private Emulator emulator;
    private LoopbackSlack slack;

    @AfterEach
    void stop() {
        if (emulator != null) emulator.close();
        if (slack != null) slack.close();
    }

    @Test
    void aStaleFleetIsRemediatedReportedOnSlackAndTheNextTickFindsItSynced() throws Exception {
        start(2, true);

        JsonNode check = driftCheck("events/cloudformation-update-complete.json");
        assertThat(check.path("targets")).hasSize(2).allSatisfy(t ->
                assertThat(t.path("decision").path("action").asText()).isEqualTo("REDEPLOY"));
        emulator.awaitQuiet(QUIET);

        assertThat(emulator.instances()).allSatisfy(i -> assertThat(served(i.sandbox())).isEqualTo(SampleEnvironment.DESIRED.sha()));
        assertThat(history()).singleElement().satisfies(a -> assertThat(a.path("state").asText()).isEqualTo("SUCCEEDED"));
        assertThat(slack.posts()).anySatisfy(p -> assertThat(p).contains(SampleEnvironment.DESIRED.shortSha()));

        JsonNode tick = driftCheck("events/schedule.json");
        assertThat(tick.path("commandId").isNull()).isTrue();
        assertThat(tick.path("targets")).hasSize(2).allSatisfy(t -> {
            assertThat(t.path("verdict").path("sync").asText()).isEqualTo("SYNCED");
            assertThat(t.path("verdict").path("health").asText()).isEqualTo("HEALTHY");
        });
    }

    @Test
    void aReleaseThatCrashesAtStartIsRolledBackAndTheBootCommitServesAgain() throws Exception {
        start(1, false);
        emulator.setStackRevision(SampleEnvironment.BAD_RELEASE);

        JsonNode check = driftCheck("events/cloudformation-update-complete.json");
        assertThat(check.path("desired").asText()).isEqualTo(SampleEnvironment.BAD_RELEASE.sha());
        emulator.awaitQuiet(QUIET);

        assertThat(served(emulator.instances().get(0).sandbox())).isEqualTo(SampleEnvironment.BOOTED.sha());
        assertThat(history()).singleElement().satisfies(a -> assertThat(a.path("state").asText()).isEqualTo("ROLLED_BACK"));
        assertThat(Files.readString(state.resolve("functions.log"))).contains("\"outcome\":\"ROLLED_BACK\"");

        JsonNode tick = driftCheck("events/schedule.json");
        assertThat(tick.path("commandId").isNull()).as("a bad release is held back").isTrue();
        CliProcess retry = CliProcess.run(new java.util.HashMap<>(emulator.awsEnvironment()), "retry");
        assertThat(retry.exitCode()).as(retry.stderr()).isZero();
        assertThat(JSON.readTree(retry.stdout()).path("note").asText()).contains("retry of "
                + SampleEnvironment.BAD_RELEASE.shortSha() + " recorded");
        emulator.awaitQuiet(QUIET);
        assertThat(history()).hasSize(2).allSatisfy(a -> assertThat(a.path("state").asText()).isEqualTo("ROLLED_BACK"));
        assertThat(served(emulator.instances().get(0).sandbox())).isEqualTo(SampleEnvironment.BOOTED.sha());
    }

    @Test
    void codeChangedOnDiskWithoutARestartIsProcessStaleAndThenRemediated() throws Exception {
        start(1, false);
        Sandbox instance = emulator.sandboxes().get(0);
        // an operator's hand-made change: the checkout moved to the desired commit, the service never restarted
        Thread.sleep(1100); // the checkout lands in a later second than the service start it is compared with
        git(instance.appDirectory(), "checkout", "--quiet", SampleEnvironment.DESIRED.sha());

        JsonNode check = driftCheck("events/cloudformation-update-complete.json");
        assertThat(check.path("targets").path(0).path("verdict").path("reasons").toString()).contains("PROCESS_STALE");
        assertThat(check.path("targets").path(0).path("decision").path("action").asText()).isEqualTo("REDEPLOY");
        emulator.awaitQuiet(QUIET);

        assertThat(served(emulator.instances().get(0).sandbox())).isEqualTo(SampleEnvironment.DESIRED.sha());
        assertThat(history()).singleElement().satisfies(a -> assertThat(a.path("state").asText()).isEqualTo("SUCCEEDED"));
    }

    @Test
    void anInstanceTheGroupLaunchesAfterASuccessBootsOldCodeAndTheNextTickRemediatesItUnderItsNewId() throws Exception {
        start(1, false);
        driftCheck("events/cloudformation-update-complete.json");
        emulator.awaitQuiet(QUIET);

        Emulator.Instance launched = emulator.scaleOut();
        assertThat(launched.privateIp()).startsWith("127.");
        assertThat(served(launched.sandbox())).as("UserData boots the old commit").isEqualTo(SampleEnvironment.BOOTED.sha());
        JsonNode tick = driftCheck("events/schedule.json");
        assertThat(tick.path("targets")).hasSize(2);
        assertThat(tick.path("commandIds")).hasSize(1);
        assertThat(DriftChecks.redeployed(tick)).containsExactly(launched.instanceId());
        emulator.awaitQuiet(QUIET);
        assertThat(served(launched.sandbox())).isEqualTo(SampleEnvironment.DESIRED.sha());

        Emulator.Instance replacement = emulator.replace(launched);
        assertThat(replacement.instanceId()).isNotEqualTo(launched.instanceId());
        JsonNode next = driftCheck("events/schedule.json");
        assertThat(next.path("targets").findValuesAsText("instanceId")).hasSize(2).doesNotContain(launched.instanceId());
        assertThat(DriftChecks.redeployed(next)).containsExactly(replacement.instanceId());
        emulator.awaitQuiet(QUIET);

        assertThat(emulator.instances()).allSatisfy(i -> assertThat(served(i.sandbox())).isEqualTo(SampleEnvironment.DESIRED.sha()));
        assertThat(history()).hasSize(3).allSatisfy(a -> assertThat(a.path("state").asText()).isEqualTo("SUCCEEDED"));
        try (SsmClient ssm = emulator.clients().build(SsmClient.builder())) {
            assertThatThrownBy(() -> ssm.sendCommand(r -> r.documentName("AWS-RunShellScript")
                    .instanceIds(launched.instanceId()).parameters(Map.of("commands", List.of("true")))))
                    .as("a terminated instance takes no command").isInstanceOf(InvalidInstanceIdException.class);
        }
    }

    private void start(int instances, boolean withSlack) throws IOException {
        String slackUrl = null;
        if (withSlack) {
            slack = LoopbackSlack.start();
            slackUrl = slack.url();
        }
        emulator = Emulator.start(new Emulator.Config(state, MotoServer.freePort(), "streamr-p2p-beta", instances,
                null, slackUrl));
        assertThat(emulator.instances()).allSatisfy(i -> {
            assertThat(i.privateIp()).startsWith("127.");
            assertThat(served(i.sandbox())).isEqualTo(SampleEnvironment.BOOTED.sha());
        });
        try (Ec2Client ec2 = emulator.clients().build(Ec2Client.builder())) {
            assertThat(ec2.describeInstances().reservations()).flatMap(r -> r.instances()).hasSize(instances)
                    .as("every address an instance has is on loopback").allSatisfy(i -> {
                        assertThat(i.privateIpAddress()).startsWith("127.");
                        assertThat(i.publicIpAddress()).isNull();
                    });
        }
    }

    private JsonNode driftCheck(String event) throws IOException {
        return DriftChecks.driftCheck(emulator, event);
    }

    private JsonNode history() throws IOException {
        Map<String, String> env = new java.util.HashMap<>(emulator.awsEnvironment());
        CliProcess history = CliProcess.run(env, "history", "--json");
        assertThat(history.exitCode()).as(history.stderr()).isZero();
        return JSON.readTree(history.stdout());
    }


    private static void git(Path dir, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("git", "-C", dir.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
    }

    /** What the app on the instance says it runs (its /version), or "unreachable". */
    private static String served(Sandbox instance) {
        Revision r = instance.served();
        return r == null ? "unreachable" : r.sha();
    }

}
