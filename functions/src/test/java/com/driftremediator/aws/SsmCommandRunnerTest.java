package com.driftremediator.aws;

import com.driftremediator.domain.Attempt;
import com.driftremediator.domain.AttemptComment;
import com.driftremediator.domain.CommandRunner;
import com.driftremediator.domain.Revision;
import com.driftremediator.domain.Target;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.IntStream;

import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.Command;
import software.amazon.awssdk.services.ssm.model.CommandInvocationStatus;
import software.amazon.awssdk.services.ssm.model.GetCommandInvocationRequest;
import software.amazon.awssdk.services.ssm.model.GetCommandInvocationResponse;
import software.amazon.awssdk.services.ssm.model.InvalidCommandIdException;
import software.amazon.awssdk.services.ssm.model.InvocationDoesNotExistException;
import software.amazon.awssdk.services.ssm.model.ListCommandsRequest;
import software.amazon.awssdk.services.ssm.model.ListCommandsRequest;
import software.amazon.awssdk.services.ssm.model.ListCommandsResponse;
import software.amazon.awssdk.services.ssm.model.SendCommandRequest;
import software.amazon.awssdk.services.ssm.model.SendCommandResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

class SsmCommandRunnerTest {
    private static final Revision REV = Revision.of("194af44c0d5e3b2a1f0e9d8c7b6a5f4e3d2c1b0a");
    private static final Attempt ATTEMPT = Attempt.pending("beta", REV, 2, List.of(), null, "", Instant.EPOCH);
    private final SsmClient ssm = mock(SsmClient.class);
    private final SsmCommandRunner runner = new SsmCommandRunner(ssm, new SsmCommandRunner.Config("redeploy-doc",
            "25%", "1", 900, "/drift-remediator/beta/redeploy",
            Map.of("AppDirectory", "/home/ec2-user/app"), 3, Duration.ZERO));

    @Test
    void upToFiftyTargetsGoByInstanceIdWithExplicitLimitsAndCloudWatchOutput() {
        SendCommandRequest sent = send(50);

        assertThat(sent.instanceIds()).hasSize(50);
        assertThat(sent.targets()).isEmpty();
        assertThat(sent.documentName()).isEqualTo("redeploy-doc");
        assertThat(sent.parameters()).isEqualTo(Map.of("Revision", List.of(REV.sha()), "AppDirectory", List.of("/home/ec2-user/app")));
        assertThat(sent.maxConcurrency()).isEqualTo("25%");
        assertThat(sent.maxErrors()).isEqualTo("1");
        assertThat(sent.timeoutSeconds()).isEqualTo(900);
        assertThat(sent.comment()).isEqualTo("drift-remediator:beta:" + REV.sha() + "#2");
        assertThat(sent.cloudWatchOutputConfig().cloudWatchOutputEnabled()).isTrue();
        assertThat(sent.cloudWatchOutputConfig().cloudWatchLogGroupName()).isEqualTo("/drift-remediator/beta/redeploy");
    }

    @Test
    void moreThanFiftyTargetsAreRefusedNeverSentByTag() {
        List<Target> list = IntStream.range(0, 51).mapToObj(i -> new Target(String.format("i-%017x", i + 1))).toList();
        assertThatThrownBy(() -> runner.sendRedeploy(ATTEMPT, list)).hasMessageContaining("at most 50");
        verify(ssm, times(0)).sendCommand(any(SendCommandRequest.class));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aCommandSsmDoesNotKnowHasNoResult() {
        when(ssm.listCommands(any(Consumer.class))).thenThrow(InvalidCommandIdException.builder().message("no").build());
        assertThat(runner.result("c-404", new Target("i-0abc1234def567890"))).isEmpty();
    }

    @Test
    @SuppressWarnings("unchecked")
    void theCommandsOfAnAttemptAreFoundByTheirComment() {
        when(ssm.listCommandsPaginator(any(Consumer.class))).thenCallRealMethod();
        when(ssm.listCommandsPaginator(any(ListCommandsRequest.class))).thenCallRealMethod();
        when(ssm.listCommands(any(ListCommandsRequest.class))).thenReturn(ListCommandsResponse.builder().commands(
                Command.builder().commandId("c-1").comment("drift-remediator:beta:" + REV.sha() + "#2")
                        .instanceIds("i-0abc1234def567890").build(),
                Command.builder().commandId("c-2").comment("drift-remediator:beta:" + REV.sha() + "#1").build(),
                Command.builder().commandId("c-3").comment("drift-remediator:prod:" + REV.sha() + "#2").build()).build());

        assertThat(runner.sentFor(ATTEMPT)).containsExactly(new CommandRunner.SentCommand("c-1", List.of("i-0abc1234def567890")));
    }

    @Test
    @SuppressWarnings("unchecked")
    void resultRetriesBrieflyWhileTheInvocationDoesNotExistAndReadsTheRevisionFromTheCommand() {
        when(ssm.getCommandInvocation(any(Consumer.class)))
                .thenThrow(InvocationDoesNotExistException.builder().message("not yet").build())
                .thenReturn(GetCommandInvocationResponse.builder().status(CommandInvocationStatus.FAILED)
                        .statusDetails("Failed").standardOutputContent("{\"result\":\"rolled_back\"}").build());
        when(ssm.listCommands(any(Consumer.class))).thenReturn(ListCommandsResponse.builder().commands(
                Command.builder().commandId("c-1").parameters(Map.of("Revision", List.of(REV.sha())))
                        .comment("drift-remediator:beta:" + REV.sha() + "#2").instanceIds("i-0abc1234def567890").build()).build());

        CommandRunner.CommandResult r = runner.result("c-1", new Target("i-0abc1234def567890")).orElseThrow();
        assertThat(r.comment()).contains(new AttemptComment("beta", REV.sha() + "#2"));
        assertThat(r.instances()).containsExactly("i-0abc1234def567890");

        assertThat(r.revision()).isEqualTo(REV);
        assertThat(r.status()).isEqualTo("Failed");
        assertThat(r.stdout()).contains("rolled_back");
        verify(ssm, times(2)).getCommandInvocation(any(Consumer.class));
    }

    @Test
    @SuppressWarnings("unchecked")
    void anInvocationThatNeverAppearsHasNoResultAfterTheLastAttempt() {
        when(ssm.listCommands(any(Consumer.class))).thenReturn(ListCommandsResponse.builder().commands(
                Command.builder().commandId("c-1").build()).build());
        when(ssm.getCommandInvocation(any(Consumer.class)))
                .thenThrow(InvocationDoesNotExistException.builder().message("no such invocation").build());

        assertThat(runner.result("c-1", new Target("i-0abc1234def567890"))).isEmpty();
        verify(ssm, times(3)).getCommandInvocation(any(Consumer.class));
    }

    private SendCommandRequest send(int targets) {
        when(ssm.sendCommand(any(SendCommandRequest.class)))
                .thenReturn(SendCommandResponse.builder().command(Command.builder().commandId("c-1").build()).build());
        List<Target> list = IntStream.range(0, targets).mapToObj(i -> new Target(String.format("i-%017x", i + 1))).toList();

        assertThat(runner.sendRedeploy(ATTEMPT, list)).isEqualTo("c-1");

        ArgumentCaptor<SendCommandRequest> captor = ArgumentCaptor.forClass(SendCommandRequest.class);
        verify(ssm).sendCommand(captor.capture());
        return captor.getValue();
    }
}
