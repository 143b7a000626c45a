package com.driftremediator.handler;

import com.driftremediator.domain.Outcome;
import com.driftremediator.domain.ReportJson;
import com.driftremediator.slack.CapturedOutput;
import com.driftremediator.slack.InMemorySlackState;
import com.driftremediator.slack.NotifyPolicy;
import com.driftremediator.slack.RenderContext;
import com.driftremediator.slack.SlackClient;
import com.driftremediator.slack.SlackMessage;
import com.driftremediator.slack.SlackNotifier;
import com.driftremediator.cli.LocalContext;
import com.driftremediator.testing.ProjectPaths;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

class SlackNotifierHandlerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final SlackClient client = mock(SlackClient.class);
    private final SlackNotifierHandler handler = new SlackNotifierHandler(new SlackNotifier(NotifyPolicy.parse("*=all"),
            new RenderContext("https://github.com/example/streamr-p2p", null, "eu-west-1"), client,
            new InMemorySlackState(), Clock.systemUTC()));

    @Test
    void theSucceededEventPostsTheSucceededTemplate() throws IOException {
        String event = fixture("sns-remediation-succeeded.json");
        assertFollowsTheReportContract(event);
        when(client.post(any(), isNull(), anyBoolean(), any(), any())).thenReturn(Optional.empty());

        JsonNode response = invoke(event);

        assertThat(response.toString()).isEqualTo(
                "{\"results\":[{\"messageId\":\"5d1e7c0a-3f2b-5a4c-9d8e-7f6a5b4c3d2e\",\"result\":\"POSTED\"}]}");
        SlackMessage posted = posted(false);
        assertThat(posted.text()).isEqualTo(":white_check_mark: prod: streamr-p2p-prod remediated, now serves 194af44."
                + " served 3f2a1c9 since boot, stack updated 2 h ago");
        assertThat(posted.toJson()).contains("https://github.com/example/streamr-p2p/commit/194af44d2c3b5a6e7f8091a2b3c4d5e6f7a8b9c0")
                .contains("\"Logs\"").contains("1 min 12 s").doesNotContain("Diagnosis");
    }

    @Test
    void theRolledBackEventPostsTheDiagnosis() throws IOException {
        String event = fixture("sns-remediation-rolled-back.json");
        assertFollowsTheReportContract(event);
        when(client.post(any(), isNull(), anyBoolean(), any(), any())).thenReturn(Optional.empty());

        assertThat(invoke(event).at("/results/0/result").asText()).isEqualTo("POSTED");

        SlackMessage posted = posted(true);
        assertThat(posted.text()).startsWith(":rewind: prod: 194af44 was unhealthy on streamr-p2p-prod, rolled back.");
        assertThat(posted.toJson()).contains("*Diagnosis*").contains("No module named 'uvloop'").contains("2 min 31 s");
    }

    @Test
    void theSameEventDeliveredTwicePostsOnce() throws IOException {
        String event = fixture("sns-remediation-succeeded.json");
        invoke(event);
        assertThat(invoke(event).at("/results/0/result").asText()).isEqualTo("DUPLICATE");
        verify(client).post(any(), any(), anyBoolean(), any(), any());
    }

    @Test
    void inputThatIsNotAnSnsEventIsLoggedAndIgnored() throws IOException {
        try (CapturedOutput out = new CapturedOutput()) {
            assertThat(invoke("garbage{").toString()).isEqualTo("{\"results\":[]}");
            assertThat(invoke("{\"detail-type\":\"Scheduled Event\"}").toString()).isEqualTo("{\"results\":[]}");
            assertThat(invoke("{\"Records\":[{\"Sns\":{\"MessageId\":\"m-1\",\"Message\":\"hello\"}}]}")
                    .at("/results/0/result").asText()).isEqualTo("MALFORMED");
            assertThat(out.text()).contains("ignored an event that is not an SNS event").contains("ignored message m-1: not JSON");
        }
        verify(client, never()).post(any(), any(), anyBoolean(), any(), any());
    }

    @Test
    void missingSettingsFailAtColdStartNamingTheVariable() {
        assertThatThrownBy(() -> SlackNotifierHandler.wire(Map.of("LEDGER_TABLE", "t"), null, null))
                .hasMessage("environment variable SLACK_SECRET_ID is not set");
        assertThatThrownBy(() -> SlackNotifierHandler.wire(Map.of("SLACK_SECRET_ID", "s"), null, null))
                .hasMessage("environment variable LEDGER_TABLE is not set");
        assertThatThrownBy(() -> SlackNotifierHandler.wire(Map.of("SLACK_SECRET_ID", "s", "LEDGER_TABLE", "t",
                "NOTIFY_POLICY", "prod=sometimes"), null, null)).hasMessageContaining("'SOMETIMES'");
    }

    private SlackMessage posted(boolean broadcast) {
        ArgumentCaptor<SlackMessage> message = ArgumentCaptor.forClass(SlackMessage.class);
        verify(client).post(message.capture(), isNull(), org.mockito.ArgumentMatchers.eq(broadcast), any(), any());
        return message.getValue();
    }

    private JsonNode invoke(String event) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, LocalContext.withBudget("SlackNotifierFunction", 30_000, 512));
        return JSON.readTree(out.toByteArray());
    }

    /** The fixture's Message is what ReportJson.write publishes for it. */
    private static void assertFollowsTheReportContract(String event) throws IOException {
        String message = JSON.readTree(event).at("/Records/0/Sns/Message").asText();
        // as trees: Report keeps links in a Map without order
        assertThat(JSON.readTree(ReportJson.write(ReportJson.read(message)))).isEqualTo(JSON.readTree(message));
        assertThat(ReportJson.read(message).outcome()).isIn(Outcome.REMEDIATED, Outcome.ROLLED_BACK);
    }

    private static String fixture(String name) throws IOException {
        return Files.readString(ProjectPaths.root().resolve("events").resolve(name));
    }
}
