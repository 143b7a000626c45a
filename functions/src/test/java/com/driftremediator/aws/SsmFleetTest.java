package com.driftremediator.aws;

import com.driftremediator.domain.Observation;
import com.driftremediator.domain.Target;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Consumer;

import org.mockito.ArgumentCaptor;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.DescribeStackResourcesResponse;
import software.amazon.awssdk.services.cloudformation.model.StackResource;
import software.amazon.awssdk.services.ssm.model.Command;
import software.amazon.awssdk.services.ssm.model.SendCommandResponse;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.DescribeInstanceInformationRequest;
import software.amazon.awssdk.services.ssm.model.DescribeInstanceInformationResponse;
import software.amazon.awssdk.services.ssm.model.InstanceInformation;
import software.amazon.awssdk.services.ssm.model.PingStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

class SsmFleetTest {
    private final SsmClient ssm = mock(SsmClient.class);
    private final CloudFormationClient cloudFormation = mock(CloudFormationClient.class);
    private final SsmFleet fleet = new SsmFleet(cloudFormation, ssm,
            new SsmFleet.Config("streamr-p2p-beta", "k", "v", "observe", Map.of(), null, Duration.ofSeconds(1),
                    Duration.ofSeconds(1)));
    private final Target target = new Target("i-0abc1234def567890");

    @Test
    @SuppressWarnings("unchecked")
    void anAgentThatStoppedPingingIsUnreachableAndNoCommandIsSent() {
        when(ssm.describeInstanceInformationPaginator(any(Consumer.class))).thenCallRealMethod();
        when(ssm.describeInstanceInformationPaginator(any(DescribeInstanceInformationRequest.class))).thenCallRealMethod();
        when(ssm.describeInstanceInformation(any(DescribeInstanceInformationRequest.class))).thenReturn(DescribeInstanceInformationResponse.builder()
                .instanceInformationList(InstanceInformation.builder().instanceId(target.instanceId())
                        .pingStatus(PingStatus.CONNECTION_LOST).lastPingDateTime(Instant.parse("2026-11-26T10:00:00Z")).build())
                .build());

        Observation o = fleet.observe(target);

        assertThat(o.reachable()).isFalse();
        assertThat(o.reachability().cause()).isEqualTo("SSM agent ConnectionLost since 2026-11-26T10:00:00Z: agent stopped, "
                + "or the instance is stopped or cut off from the SSM endpoints");
        verify(ssm, never()).sendCommand(any(Consumer.class));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aStackWithoutInstanceResourcesTargetsTheManagedNodesCarryingTheTag() {
        when(cloudFormation.describeStackResources(any(Consumer.class))).thenReturn(DescribeStackResourcesResponse.builder()
                .stackResources(StackResource.builder().resourceType("AWS::AutoScaling::AutoScalingGroup")
                        .physicalResourceId("web-asg").build()).build());
        when(ssm.describeInstanceInformationPaginator(any(Consumer.class))).thenCallRealMethod();
        when(ssm.describeInstanceInformationPaginator(any(DescribeInstanceInformationRequest.class))).thenCallRealMethod();
        when(ssm.describeInstanceInformation(any(DescribeInstanceInformationRequest.class))).thenReturn(DescribeInstanceInformationResponse.builder()
                .instanceInformationList(
                        InstanceInformation.builder().instanceId(target.instanceId()).pingStatus(PingStatus.ONLINE).build(),
                        InstanceInformation.builder().instanceId("mi-0123456789abcdef0").pingStatus(PingStatus.ONLINE).build())
                .build());
        when(ssm.sendCommand(any(Consumer.class))).thenReturn(SendCommandResponse.builder()
                .command(Command.builder().commandId("c-1").build()).build());

        assertThat(fleet.targets()).containsExactly(target, new Target("mi-0123456789abcdef0"));

        ArgumentCaptor<DescribeInstanceInformationRequest> asked = ArgumentCaptor.forClass(DescribeInstanceInformationRequest.class);
        verify(ssm).describeInstanceInformation(asked.capture());
        assertThat(asked.getValue().filters()).singleElement().satisfies(f -> {
            assertThat(f.key()).isEqualTo("tag:k");
            assertThat(f.values()).containsExactly("v");
        });
    }

    @Test
    void readsTheLastJsonLineOfTheObserveOutput() {
        assertThat(SsmFleet.lastJsonLine("noise\n{\"onDisk\":\"a\"}\n{broken\n").path("onDisk").asText(null)).isEqualTo("a");
        assertThat(SsmFleet.lastJsonLine("")).isNull();
        assertThat(SsmFleet.lastJsonLine(null)).isNull();
    }
}
