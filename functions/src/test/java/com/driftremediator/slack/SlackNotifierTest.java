package com.driftremediator.slack;

import com.driftremediator.domain.Outcome;
import com.driftremediator.domain.Report;
import com.driftremediator.domain.ReportJson;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.spy;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

class SlackNotifierTest {
    private static final LongSupplier TIME_LEFT = () -> 30_000;
    private final SlackClient client = mock(SlackClient.class);
    private final InMemorySlackState state = new InMemorySlackState();
    private final List<String> log = new ArrayList<>();
    private final Consumer<String> logger = log::add;
    private final SlackNotifier notifier = new SlackNotifier(NotifyPolicy.parse("prod=failures;*=changes"),
            Reports.CONTEXT, client, state, Clock.fixed(Instant.parse("2026-11-27T14:05:00Z"), ZoneOffset.UTC));

    @Test
    void theSameSnsMessageTwicePostsOnce() {
        String message = ReportJson.write(Reports.report(Outcome.FAILED));
        assertThat(notifier.handle("m-1", message, TIME_LEFT, logger)).isEqualTo(SlackNotifier.Result.POSTED);
        assertThat(notifier.handle("m-1", message, TIME_LEFT, logger)).isEqualTo(SlackNotifier.Result.DUPLICATE);
        verify(client, times(1)).post(any(), any(), anyBoolean(), any(), any());
        assertThat(log).anyMatch(l -> l.contains("already posted"));
    }

    @Test
    void theTriggersDecideBeforeAnythingIsClaimedOrPosted() {
        String message = ReportJson.write(Reports.report(Outcome.REMEDIATED)); // prod: failures only
        assertThat(notifier.handle("m-1", message, TIME_LEFT, logger)).isEqualTo(SlackNotifier.Result.FILTERED);
        verify(client, never()).post(any(), any(), anyBoolean(), any(), any());
        assertThat(state.claimed("m-1")).isFalse();
    }

    @Test
    void malformedMessagesAreLoggedAndIgnored() {
        assertThat(notifier.handle("m-1", "{not json", TIME_LEFT, logger)).isEqualTo(SlackNotifier.Result.MALFORMED);
        assertThat(notifier.handle("m-2", "{\"environment\":\"prod\"}", TIME_LEFT, logger)).isEqualTo(SlackNotifier.Result.MALFORMED);
        assertThat(notifier.handle("m-3", "{\"outcome\":\"EXPLODED\"}", TIME_LEFT, logger)).isEqualTo(SlackNotifier.Result.MALFORMED);
        assertThat(notifier.handle("m-4", null, TIME_LEFT, logger)).isEqualTo(SlackNotifier.Result.MALFORMED);
        assertThat(notifier.handle(null, "{}", TIME_LEFT, logger)).isEqualTo(SlackNotifier.Result.MALFORMED);
        verify(client, never()).post(any(), any(), anyBoolean(), any(), any());
        assertThat(log).anyMatch(l -> l.startsWith("ignored message m-3: unknown outcome EXPLODED"));
    }

    @Test
    void aFailedPostGivesTheClaimBackSoTheRetryPosts() {
        String message = ReportJson.write(Reports.report(Outcome.FAILED));
        when(client.post(any(), any(), anyBoolean(), any(), any()))
                .thenThrow(new SlackDeliveryException("Slack webhook: HTTP 500"))
                .thenReturn(Optional.empty());
        assertThatThrownBy(() -> notifier.handle("m-1", message, TIME_LEFT, logger))
                .isInstanceOf(SlackDeliveryException.class);
        assertThat(state.claimed("m-1")).isFalse();
        assertThat(notifier.handle("m-1", message, TIME_LEFT, logger)).isEqualTo(SlackNotifier.Result.POSTED);
    }

    @Test
    void withABotTheResultIsThreadedUnderTheStartedMessageAndFailuresAreBroadcast() {
        SlackNotifier everything = new SlackNotifier(NotifyPolicy.parse("*=all"), Reports.CONTEXT, client, state, Clock.systemUTC());
        when(client.threads()).thenReturn(true);
        when(client.post(any(), isNull(), anyBoolean(), any(), any())).thenReturn(Optional.of("1764252180.000100"));
        when(client.post(any(), eq("1764252180.000100"), anyBoolean(), any(), any())).thenReturn(Optional.of("1764252199.000200"));

        everything.handle("m-started", ReportJson.write(Reports.report(Outcome.STARTED)), TIME_LEFT, logger);
        everything.handle("m-done", ReportJson.write(Reports.report(Outcome.ROLLED_BACK)), TIME_LEFT, logger);

        ArgumentCaptor<SlackMessage> posted = ArgumentCaptor.forClass(SlackMessage.class);
        verify(client).post(posted.capture(), isNull(), eq(false), any(), any());
        assertThat(posted.getValue().text()).startsWith(":arrows_counterclockwise:");
        verify(client).post(posted.capture(), eq("1764252180.000100"), eq(true), any(), any());
        assertThat(posted.getValue().text()).startsWith(":rewind:");
        assertThat(state.thread(Reports.COMMAND_ID)).contains("1764252180.000100");
    }

    @Test
    void aWebhookPostsTheResultAtTopLevel() {
        SlackNotifier everything = new SlackNotifier(NotifyPolicy.parse("*=all"), Reports.CONTEXT, client, state, Clock.systemUTC());
        everything.handle("m-started", ReportJson.write(Reports.report(Outcome.STARTED)), TIME_LEFT, logger);
        everything.handle("m-done", ReportJson.write(Reports.report(Outcome.REMEDIATED)), TIME_LEFT, logger);
        verify(client, times(2)).post(any(), isNull(), anyBoolean(), any(), any());
    }

    @Test
    void bookkeepingAfterAPostNeverFailsTheInvocation() {
        SlackState broken = spy(new InMemorySlackState());
        doThrow(new IllegalStateException("DynamoDB down")).when(broken).delivered(any(), any());
        SlackNotifier n = new SlackNotifier(NotifyPolicy.parse("*=all"), Reports.CONTEXT, client, broken, Clock.systemUTC());
        Report r = Reports.report(Outcome.FAILED);
        assertThat(n.handle("m-1", ReportJson.write(r), TIME_LEFT, logger)).isEqualTo(SlackNotifier.Result.POSTED);
        assertThat(log).anyMatch(l -> l.contains("posted, but could not record it: IllegalStateException"));
    }
}
