package com.driftremediator.aws;

import com.driftremediator.domain.Observation;
import com.driftremediator.domain.Target;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Consumer;

import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
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

class Ec2FleetTest {
    private final SsmClient ssm = mock(SsmClient.class);
    private final Ec2Fleet fleet = new Ec2Fleet(mock(Ec2Client.class), mock(CloudFormationClient.class), ssm,
            new Ec2Fleet.Config("streamr-p2p-beta", "k", "v", "observe", Map.of(), null, Duration.ofSeconds(1),
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
    void readsTheLastJsonLineOfTheObserveOutput() {
        assertThat(Ec2Fleet.lastJsonLine("noise\n{\"onDisk\":\"a\"}\n{broken\n").path("onDisk").asText()).isEqualTo("a");
        assertThat(Ec2Fleet.lastJsonLine("")).isNull();
        assertThat(Ec2Fleet.lastJsonLine(null)).isNull();
    }
}
