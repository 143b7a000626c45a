package com.driftremediator.handler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.Mockito.atLeast;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.driftremediator.slack.InMemorySlackState;
import com.driftremediator.slack.NotifyPolicy;
import com.driftremediator.slack.RenderContext;
import com.driftremediator.slack.SlackClient;
import com.driftremediator.slack.SlackMessage;
import com.driftremediator.slack.SlackNotifier;
import com.driftremediator.testing.JsonMutants;
import com.driftremediator.testing.ProjectPaths;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mockito.ArgumentCaptor;

/**
 * Reports nobody wrote a fixture for: every field of the published report removed or replaced by another type or
 * a hostile value (Slack's own mention and link syntax among them), delivered through SNS. Each gets a result, the
 * function never fails, and no posted message carries a mention or link the report's text smuggled in.
 */
class SlackNotifierMutationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> RESULTS = Arrays.stream(SlackNotifier.Result.values()).map(Enum::name).toList();

    @ParameterizedTest
    @ValueSource(strings = {"sns-remediation-succeeded.json", "sns-remediation-rolled-back.json"})
    void everyMutatedReportGetsAResultAndNoInjectedMarkup(String fixture) throws Exception {
        SlackClient client = mock(SlackClient.class);
        when(client.post(any(), any(), anyBoolean(), any(), any())).thenReturn(Optional.empty());
        SlackNotifierHandler handler = new SlackNotifierHandler(new SlackNotifier(NotifyPolicy.parse("*=all"),
                new RenderContext("https://github.com/example/streamr-p2p", null, "eu-west-1"), client,
                new InMemorySlackState(), Clock.systemUTC()));
        ObjectNode event = (ObjectNode) JSON.readTree(Files.readString(ProjectPaths.root().resolve("events").resolve(fixture)));
        List<String> reports = JsonMutants.of(event.at("/Records/0/Sns/Message").asText());
        assertThat(reports).hasSizeGreaterThan(100);

        int n = 0;
        for (String report : reports) {
            ObjectNode sns = (ObjectNode) event.at("/Records/0/Sns");
            sns.put("Message", report).put("MessageId", "mutant-" + n++);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            List<String> logged = new ArrayList<>();
            handler.handleRequest(new ByteArrayInputStream(event.toString().getBytes(StandardCharsets.UTF_8)), out,
                    CapturingContext.into(logged));

            JsonNode response = JSON.readTree(out.toByteArray());
            assertThat(response.at("/results/0/result").asText()).as(JsonMutants.shown(report)).isIn(RESULTS);
            assertThat(logged).as("log lines stay short").allMatch(line -> line.length() < 1_000);
        }
        ArgumentCaptor<SlackMessage> posted = ArgumentCaptor.forClass(SlackMessage.class);
        verify(client, atLeast(1)).post(posted.capture(), any(), anyBoolean(), any(), any());
        for (SlackMessage message : posted.getAllValues()) {
            assertThat(message.text()).doesNotContain("<!channel>").doesNotContain("<https://evil.example");
            for (String mrkdwn : mrkdwnTexts(JSON.readTree(message.toJson()), new ArrayList<>())) {
                assertThat(mrkdwn).doesNotContain("<!channel>").doesNotContain("<https://evil.example");
            }
        }
    }

    /** Every text Slack reads as mrkdwn (where mentions and links work); plain_text shows its text as it is. */
    private static List<String> mrkdwnTexts(JsonNode node, List<String> into) {
        if (node.isObject()) {
            boolean plain = node.path("type").asText().equals("plain_text");
            if (!plain && node.path("text").isTextual()) into.add(node.get("text").asText());
            node.fields().forEachRemaining(field -> mrkdwnTexts(field.getValue(), into));
        } else if (node.isArray()) {
            node.forEach(child -> mrkdwnTexts(child, into));
        }
        return into;
    }
}
