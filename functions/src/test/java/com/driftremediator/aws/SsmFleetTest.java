package com.driftremediator.aws;

import com.driftremediator.domain.Observation;
import com.driftremediator.domain.Target;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.IntStream;

import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.DescribeStackResourcesResponse;
import software.amazon.awssdk.services.cloudformation.model.StackResource;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.Command;
import software.amazon.awssdk.services.ssm.model.CommandInvocation;
import software.amazon.awssdk.services.ssm.model.CommandInvocationStatus;
import software.amazon.awssdk.services.ssm.model.CommandPlugin;
import software.amazon.awssdk.services.ssm.model.DescribeInstanceInformationRequest;
import software.amazon.awssdk.services.ssm.model.DescribeInstanceInformationResponse;
import software.amazon.awssdk.services.ssm.model.GetCommandInvocationResponse;
import software.amazon.awssdk.services.ssm.model.InstanceInformation;
import software.amazon.awssdk.services.ssm.model.ListCommandInvocationsRequest;
import software.amazon.awssdk.services.ssm.model.ListCommandInvocationsResponse;
import software.amazon.awssdk.services.ssm.model.PingStatus;
import software.amazon.awssdk.services.ssm.model.SendCommandResponse;
import software.amazon.awssdk.services.ssm.model.SsmException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

class SsmFleetTest {
    private static final String LINE = "{\"onDisk\":\"194af44c0d5e3b2a1f0e9d8c7b6a5f4e3d2c1b0a\",\"healthy\":true}";
    private final SsmClient ssm = mock(SsmClient.class);
    private final CloudFormationClient cloudFormation = mock(CloudFormationClient.class);
    private final List<String> autoScalingAsked = new ArrayList<>();
    private final SsmFleet fleet = new SsmFleet(cloudFormation, () -> {
        autoScalingAsked.add("built");
        return mock(AutoScalingClient.class);
    }, ssm, new SsmFleet.Config("streamr-p2p-beta", "observe", Map.of(), null, Duration.ofSeconds(1)), Clock.systemUTC());
    private final Target target = new Target("i-0abc1234def567890");

    @Test
    @SuppressWarnings("unchecked")
    void anAgentThatStoppedPingingIsUnreachableAndNoCommandIsSent() {
        managed(InstanceInformation.builder().instanceId(target.instanceId())
                .pingStatus(PingStatus.CONNECTION_LOST).lastPingDateTime(Instant.parse("2026-11-26T10:00:00Z")).build());

        Observation o = fleet.observeAll(List.of(target), Instant.now().plusSeconds(5)).get(0);

        assertThat(o.reachable()).isFalse();
        assertThat(o.reachability().cause()).isEqualTo("SSM agent ConnectionLost since 2026-11-26T10:00:00Z: agent stopped, "
                + "or the instance is stopped or cut off from the SSM endpoints");
        verify(ssm, never()).sendCommand(any(Consumer.class));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aStackWithOnlyInstanceResourcesNeedsNoAutoScalingClientAndNothingIsFoundByTag() {
        when(cloudFormation.describeStackResources(any(Consumer.class))).thenReturn(DescribeStackResourcesResponse.builder()
                .stackResources(StackResource.builder().resourceType("AWS::EC2::Instance").physicalResourceId(target.instanceId()).build(),
                        StackResource.builder().resourceType("AWS::SQS::Queue").physicalResourceId("q").build()).build());

        assertThat(fleet.targets()).containsExactly(target);
        assertThat(autoScalingAsked).isEmpty();
        verify(ssm, never()).describeInstanceInformation(any(DescribeInstanceInformationRequest.class));
    }

    @Test
    @SuppressWarnings("unchecked")
    void observationGoesPerBatchOfFiftyAndIsCollectedWithOneListPerBatch() {
        List<Target> targets = IntStream.range(0, 120).mapToObj(i -> new Target(String.format("i-%017x", i + 1))).toList();
        when(ssm.describeInstanceInformationPaginator(any(Consumer.class))).thenCallRealMethod();
        when(ssm.describeInstanceInformationPaginator(any(DescribeInstanceInformationRequest.class))).thenCallRealMethod();
        when(ssm.describeInstanceInformation(any(DescribeInstanceInformationRequest.class))).thenAnswer(inv -> {
            DescribeInstanceInformationRequest r = inv.getArgument(0);
            return DescribeInstanceInformationResponse.builder().instanceInformationList(r.filters().get(0).values().stream()
                    .map(id -> InstanceInformation.builder().instanceId(id).pingStatus(PingStatus.ONLINE)
                            .agentVersion("3.3.2746.0").build()).toList()).build();
        });
        int[] sent = {0};
        when(ssm.sendCommand(any(Consumer.class))).thenAnswer(inv -> SendCommandResponse.builder()
                .command(Command.builder().commandId("c-" + (++sent[0])).build()).build());
        when(ssm.listCommandInvocationsPaginator(any(Consumer.class))).thenCallRealMethod();
        when(ssm.listCommandInvocationsPaginator(any(ListCommandInvocationsRequest.class))).thenCallRealMethod();
        when(ssm.listCommandInvocations(any(ListCommandInvocationsRequest.class))).thenAnswer(inv -> {
            ListCommandInvocationsRequest r = inv.getArgument(0);
            int batch = Integer.parseInt(r.commandId().substring(2)) - 1;
            return ListCommandInvocationsResponse.builder().commandInvocations(targets.subList(batch * 50,
                    Math.min(batch * 50 + 50, targets.size())).stream().map(t -> CommandInvocation.builder()
                    .instanceId(t.instanceId()).status(CommandInvocationStatus.SUCCESS)
                    .commandPlugins(CommandPlugin.builder().output("log\n" + LINE).build()).build()).toList()).build();
        });

        List<Observation> observed = fleet.observeAll(targets, Instant.now().plusSeconds(10));

        assertThat(observed).hasSize(120).allSatisfy(o -> {
            assertThat(o.onDisk()).hasToString("194af44c0d5e3b2a1f0e9d8c7b6a5f4e3d2c1b0a");
            assertThat(o.agentVersion()).isEqualTo("3.3.2746.0");
        });
        assertThat(observed).extracting(Observation::target).containsExactlyElementsOf(targets);
        verify(ssm, times(3)).sendCommand(any(Consumer.class));
        verify(ssm, times(3)).listCommandInvocations(any(ListCommandInvocationsRequest.class));
        verify(ssm, never()).getCommandInvocation(any(Consumer.class));
    }

    @Test
    @SuppressWarnings("unchecked")
    void withoutListCommandInvocationsEachInstanceIsReadWithinTheSameDeadline() {
        managed(InstanceInformation.builder().instanceId(target.instanceId()).pingStatus(PingStatus.ONLINE).build());
        when(ssm.sendCommand(any(Consumer.class))).thenReturn(SendCommandResponse.builder()
                .command(Command.builder().commandId("c-1").build()).build());
        when(ssm.listCommandInvocationsPaginator(any(Consumer.class))).thenThrow(
                SsmException.builder().statusCode(500).message("not implemented").build());
        when(ssm.getCommandInvocation(any(Consumer.class))).thenReturn(GetCommandInvocationResponse.builder()
                .status(CommandInvocationStatus.IN_PROGRESS).build());

        Instant start = Instant.now();
        Observation o = fleet.observeAll(List.of(target), start.plusSeconds(2)).get(0);

        assertThat(o.reachable()).isTrue();
        assertThat(o.onDisk()).as("no answer by the deadline: unknown").isNull();
        assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(4));
    }

    @Test
    void readsTheLastJsonLineOfTheObserveOutput() {
        assertThat(SsmFleet.lastJsonLine("noise\n{\"onDisk\":\"a\"}\n{broken\n").path("onDisk").asText(null)).isEqualTo("a");
        assertThat(SsmFleet.lastJsonLine("")).isNull();
        assertThat(SsmFleet.lastJsonLine(null)).isNull();
    }

    @SuppressWarnings("unchecked")
    private void managed(InstanceInformation... info) {
        when(ssm.describeInstanceInformationPaginator(any(Consumer.class))).thenCallRealMethod();
        when(ssm.describeInstanceInformationPaginator(any(DescribeInstanceInformationRequest.class))).thenCallRealMethod();
        when(ssm.describeInstanceInformation(any(DescribeInstanceInformationRequest.class)))
                .thenReturn(DescribeInstanceInformationResponse.builder().instanceInformationList(info).build());
    }
}
