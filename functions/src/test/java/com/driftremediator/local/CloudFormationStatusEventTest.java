package com.driftremediator.local;

import com.driftremediator.domain.Trigger;
import com.driftremediator.testing.ProjectPaths;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CloudFormationStatusEventTest {
    @Test
    void readsTheUpdateCompleteFixture() throws Exception {
        String json = Files.readString(ProjectPaths.root().resolve("events/cloudformation-update-complete.json"));

        CloudFormationStatusEvent event = CloudFormationStatusEvent.parse(json);

        assertThat(event.stackName()).isEqualTo("streamr-p2p-beta");
        assertThat(event.region()).isEqualTo("eu-west-1");
        assertThat(event.account()).isEqualTo("123456789012");
        assertThat(event.stackId()).startsWith("arn:aws:cloudformation:eu-west-1:123456789012:stack/streamr-p2p-beta/");
        assertThat(event.status()).isEqualTo("UPDATE_COMPLETE");
        assertThat(event.completed()).isTrue();
        assertThat(event.trigger()).isEqualTo(new Trigger(Trigger.Kind.STACK_COMPLETE, null,
                "stack streamr-p2p-beta UPDATE_COMPLETE"));
    }

    @Test
    void anUpdateInProgressIsNotACompletion() {
        assertThat(CloudFormationStatusEvent.parse(event("UPDATE_IN_PROGRESS")).completed()).isFalse();
        assertThat(CloudFormationStatusEvent.parse(event("CREATE_COMPLETE")).completed()).isTrue();
    }

    @Test
    void rejectsOtherEventsAndBrokenArns() {
        assertThatThrownBy(() -> CloudFormationStatusEvent.parse("{\"source\":\"aws.ec2\"}"))
                .hasMessageContaining("not a CloudFormation Stack Status Change");
        assertThatThrownBy(() -> CloudFormationStatusEvent.parse("not json")).hasMessageStartingWith("not JSON");
        assertThatThrownBy(() -> CloudFormationStatusEvent.parse(event("UPDATE_COMPLETE").replace("stack/", "")))
                .hasMessageContaining("not a stack ARN");
    }

    private static String event(String status) {
        return """
                {"source": "aws.cloudformation", "detail-type": "CloudFormation Stack Status Change",
                 "detail": {"stack-id": "arn:aws:cloudformation:eu-west-1:123456789012:stack/app/1", "status-details": {"status": "%s"}}}
                """.formatted(status);
    }
}
