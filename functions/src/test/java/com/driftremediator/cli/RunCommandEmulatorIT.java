package com.driftremediator.cli;

import com.driftremediator.testing.MotoServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.CommandInvocation;
import software.amazon.awssdk.services.ssm.model.CommandInvocationStatus;
import software.amazon.awssdk.services.ssm.model.DocumentFormat;
import software.amazon.awssdk.services.ssm.model.DocumentType;
import software.amazon.awssdk.services.ssm.model.GetCommandInvocationResponse;
import software.amazon.awssdk.services.ssm.model.InvalidParametersException;
import software.amazon.awssdk.services.ssm.model.InvocationDoesNotExistException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** SSM Run Command as the emulator answers it through the SDK: the agent's semantics docs/aws.md lists. */
class RunCommandEmulatorIT {
    private static Emulator emulator;
    private static SsmClient ssm;
    private static String instance;

    @BeforeAll
    static void start() throws Exception {
        Path state = Files.createTempDirectory("run-command-emulator-it");
        emulator = Emulator.start(new Emulator.Config(state, MotoServer.freePort(), "streamr-p2p-beta", 1, null, null));
        ssm = emulator.clients().build(SsmClient.builder());
        instance = emulator.instances().get(0).instanceId();
        ssm.createDocument(r -> r.name("test-shell").documentType(DocumentType.COMMAND).documentFormat(DocumentFormat.JSON)
                .content("""
                        {"schemaVersion": "2.2", "description": "test",
                         "parameters": {"Word": {"type": "String", "allowedPattern": "^[a-z]{1,10}$", "interpolationType": "ENV_VAR"},
                                        "Sleep": {"type": "String", "default": "0", "allowedPattern": "^[0-9]$", "interpolationType": "ENV_VAR"},
                                        "Code": {"type": "String", "default": "0", "allowedPattern": "^[0-9]$"}},
                         "mainSteps": [{"action": "aws:runShellScript", "name": "run",
                           "inputs": {"timeoutSeconds": "2", "runCommand": [
                             "echo \\"word=$SSM_Word home=${HOME-unset} instance=$AWS_SSM_INSTANCE_ID\\"",
                             "head -c 30000 /dev/zero | tr '\\\\0' 'x'", "echo", "head -c 9000 /dev/zero | tr '\\\\0' 'e' >&2",
                             "sleep \\"$SSM_Sleep\\"", "exit {{ Code }}"]}}]}
                        """));
    }

    @AfterAll
    static void stop() {
        ssm.close();
        emulator.close();
    }

    @Test
    void aCommandRunsOnTheInstanceWithItsParametersAsEnvironmentVariablesAndNoHome() {
        String id = send(Map.of("Word", "hello"));
        GetCommandInvocationResponse r = await(id);

        assertThat(r.status()).isEqualTo(CommandInvocationStatus.SUCCESS);
        assertThat(r.responseCode()).isZero();
        assertThat(r.standardOutputContent()).startsWith("word=hello home=unset instance=" + instance).hasSize(24_000);
        assertThat(r.standardErrorContent()).hasSize(8_000);
        List<CommandInvocation> listed = ssm.listCommandInvocations(b -> b.commandId(id).details(true)).commandInvocations();
        assertThat(listed).singleElement().satisfies(i -> {
            assertThat(i.instanceId()).isEqualTo(instance);
            assertThat(i.commandPlugins().get(0).output()).hasSize(2_500);
        });
        assertThat(ssm.listCommands(b -> b.commandId(id)).commands()).singleElement().satisfies(c -> {
            assertThat(c.statusAsString()).isEqualTo("Success");
            assertThat(c.completedCount()).isEqualTo(1);
        });
    }

    @Test
    void aNonZeroExitIsFailedWithItsCodeAndTheStepTimeoutIsTimedOut() {
        GetCommandInvocationResponse failed = await(send(Map.of("Word", "fail", "Code", "7")));
        assertThat(failed.status()).isEqualTo(CommandInvocationStatus.FAILED);
        assertThat(failed.responseCode()).isEqualTo(7);

        GetCommandInvocationResponse slow = await(send(Map.of("Word", "slow", "Sleep", "5")));
        assertThat(slow.status()).isEqualTo(CommandInvocationStatus.TIMED_OUT);
        assertThat(slow.statusDetails()).isEqualTo("ExecutionTimedOut");
    }

    @Test
    void aValueOutsideTheAllowedPatternIsRefusedBeforeAnythingRuns() {
        assertThatThrownBy(() -> send(Map.of("Word", "$(reboot)"))).isInstanceOf(InvalidParametersException.class);
        assertThatThrownBy(() -> send(Map.of("Word", "ok", "Unknown", "x"))).isInstanceOf(InvalidParametersException.class);
        String id = send(Map.of("Word", "ok"));
        assertThatThrownBy(() -> ssm.getCommandInvocation(b -> b.commandId(id).instanceId("i-0000000000000000f")))
                .isInstanceOf(InvocationDoesNotExistException.class);
    }

    private static String send(Map<String, String> parameters) {
        Map<String, List<String>> values = new java.util.HashMap<>();
        parameters.forEach((k, v) -> values.put(k, List.of(v)));
        return ssm.sendCommand(r -> r.documentName("test-shell").instanceIds(instance).parameters(values))
                .command().commandId();
    }

    private static GetCommandInvocationResponse await(String commandId) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (true) {
            GetCommandInvocationResponse r = ssm.getCommandInvocation(b -> b.commandId(commandId).instanceId(instance));
            if (!List.of(CommandInvocationStatus.PENDING, CommandInvocationStatus.IN_PROGRESS).contains(r.status())) return r;
            assertThat(Instant.now()).isBefore(deadline);
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }
}
