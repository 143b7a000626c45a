package com.driftremediator.aws;

import com.driftremediator.domain.Outcome;
import com.driftremediator.domain.Report;
import com.driftremediator.domain.ReportJson;
import com.driftremediator.domain.Revision;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.PublishRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

class SnsNotifierTest {
    private final SnsClient sns = mock(SnsClient.class);
    private final SnsNotifier notifier = new SnsNotifier(sns, "arn:aws:sns:eu-west-1:123456789012:remediation", "eu-west-1",
            "/drift-remediator/beta/redeploy");

    @Test
    @SuppressWarnings("unchecked")
    void publishesTheReportJsonWithFilterAttributesAndConsoleLinks() {
        notifier.publish(new Report("beta", "streamr-p2p-beta", List.of("i-0abc1234def567890"),
                Revision.of("194af44c0d5e3b2a1f0e9d8c7b6a5f4e3d2c1b0a"), null, "stack parameter", "stale", Outcome.REMEDIATED,
                "c-1", Instant.parse("2026-11-26T14:04:00Z"), Instant.parse("2026-11-26T14:05:30Z"), Map.of(), null));

        ArgumentCaptor<Consumer<PublishRequest.Builder>> captor = ArgumentCaptor.forClass(Consumer.class);
        verify(sns).publish(captor.capture());
        PublishRequest.Builder b = PublishRequest.builder();
        captor.getValue().accept(b);
        PublishRequest r = b.build();
        assertThat(r.topicArn()).endsWith(":remediation");
        assertThat(r.messageAttributes().get("environment").stringValue()).isEqualTo("beta");
        assertThat(r.messageAttributes().get("outcome").stringValue()).isEqualTo("REMEDIATED");
        assertThat(r.subject()).isEqualTo("drift-remediator beta: REMEDIATED 194af44");
        Report published = ReportJson.read(r.message());
        assertThat(published.durationMs()).isEqualTo(90_000);
        assertThat(published.links()).containsEntry("command",
                "https://eu-west-1.console.aws.amazon.com/systems-manager/run-command/c-1?region=eu-west-1");
        assertThat(published.links().get("logs")).isEqualTo("https://eu-west-1.console.aws.amazon.com/cloudwatch/home"
                + "?region=eu-west-1#logsV2:log-groups/log-group/$252Fdrift-remediator$252Fbeta$252Fredeploy"
                + "$3FlogStreamNameFilter$3Dc-1");
    }

    @Test
    void aReportWithoutACommandHasNoLinks() {
        Report r = new Report("beta", "s", List.of(), null, null, null, "x", Outcome.SKIPPED, null, null, null, Map.of(), null);
        assertThat(notifier.withLinks(r).links()).isEmpty();
    }
}
