package com.driftremediator.aws;

import com.driftremediator.domain.Target;
import com.driftremediator.testing.MotoServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ssm.SsmClient;

import static org.assertj.core.api.Assertions.assertThat;

/** Target discovery against moto: the stack's instances and its Auto Scaling groups' instances, this stack's only. */
class SsmFleetIT {
    private static final MotoServer MOTO = MotoServer.start();

    private final CloudFormationClient cfn = MOTO.client(CloudFormationClient.builder());
    private final AutoScalingClient autoScaling = MOTO.client(AutoScalingClient.builder());
    private final Ec2Client ec2 = MOTO.client(Ec2Client.builder());

    @AfterAll
    static void stop() {
        MOTO.close();
    }

    @BeforeEach
    void reset() {
        MOTO.reset();
    }

    @Test
    void theStacksInstancesAndItsAutoScalingGroupsInstancesNotAnotherEnvironments() {
        String subnet = ec2.describeSubnets().subnets().get(0).subnetId();
        cfn.createStack(r -> r.stackName("app-beta").templateBody(template(subnet, "beta", 2)));
        cfn.createStack(r -> r.stackName("app-prod").templateBody(template(subnet, "prod", 3)));
        SsmFleet beta = fleet("app-beta");
        SsmFleet prod = fleet("app-prod");

        List<Target> betaTargets = beta.targets();
        List<Target> prodTargets = prod.targets();

        assertThat(betaTargets).hasSize(3);
        assertThat(prodTargets).hasSize(4);
        assertThat(betaTargets).doesNotContainAnyElementsOf(prodTargets);
        String betaGroup = cfn.describeStackResources(r -> r.stackName("app-beta")).stackResources().stream()
                .filter(x -> x.resourceType().equals("AWS::AutoScaling::AutoScalingGroup")).findFirst().orElseThrow()
                .physicalResourceId();
        List<String> inGroup = autoScaling.describeAutoScalingGroups(r -> r.autoScalingGroupNames(betaGroup))
                .autoScalingGroups().get(0).instances().stream().map(i -> i.instanceId()).toList();
        assertThat(betaTargets).extracting(Target::instanceId).containsAll(inGroup);
    }

    private SsmFleet fleet(String stack) {
        return new SsmFleet(cfn, () -> autoScaling, MOTO.client(SsmClient.builder()),
                new SsmFleet.Config(stack, "observe", Map.of(), null, Duration.ofSeconds(1)), Clock.systemUTC());
    }

    private static String template(String subnet, String environment, int desired) {
        return """
                {"Resources":{
                  "Single":{"Type":"AWS::EC2::Instance","Properties":{"ImageId":"ami-0123456789abcdef0","InstanceType":"t3.small",
                    "Tags":[{"Key":"drift-remediator:app","Value":"streamr-app-%1$s"}]}},
                  "Launch":{"Type":"AWS::AutoScaling::LaunchConfiguration","Properties":{"ImageId":"ami-0123456789abcdef0",
                    "InstanceType":"t3.small"}},
                  "Group":{"Type":"AWS::AutoScaling::AutoScalingGroup","Properties":{"LaunchConfigurationName":{"Ref":"Launch"},
                    "MinSize":"%2$d","MaxSize":"%2$d","DesiredCapacity":"%2$d","VPCZoneIdentifier":["%3$s"],
                    "Tags":[{"Key":"drift-remediator:app","Value":"streamr-app","PropagateAtLaunch":true}]}}
                }}""".formatted(environment, desired, subnet);
    }
}
