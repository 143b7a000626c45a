package com.driftremediator.slack;

import com.driftremediator.domain.Report;
import com.driftremediator.domain.ReportJson;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * One SNS message from RemediationTopic to Slack, at most once: parse (malformed: logged, ignored), ask the
 * triggers, claim the MessageId, render, post (threaded under the command's "started" message when a bot token
 * allows it), remember. A failed post gives the claim back and throws, so Lambda retries and dead-letters it.
 */
public final class SlackNotifier {
    public enum Result { POSTED, FILTERED, DUPLICATE, MALFORMED }

    private final NotifyPolicy policy;
    private final RenderContext context;
    private final SlackClient client;
    private final SlackState state;
    private final Clock clock;

    public SlackNotifier(NotifyPolicy policy, RenderContext context, SlackClient client, SlackState state, Clock clock) {
        this.policy = policy;
        this.context = context;
        this.client = client;
        this.state = state;
        this.clock = clock;
    }

    public Result handle(String messageId, String message, LongSupplier remainingMillis, Consumer<String> log) {
        if (messageId == null || messageId.isBlank()) {
            log.accept("ignored an SNS record without MessageId");
            return Result.MALFORMED;
        }
        Report report;
        try {
            report = ReportJson.read(message);
        } catch (IllegalArgumentException e) {
            log.accept("ignored message " + messageId + ": " + BlockKit.plain(String.valueOf(e.getMessage()), 300));
            return Result.MALFORMED;
        }
        // the environment is the report's text: capped, so a malformed report cannot flood the log
        String what = report.outcome() + " in " + BlockKit.plain(String.valueOf(report.environment()), 100)
                + " (message " + messageId + ")";
        if (!policy.notifies(report)) {
            log.accept("not posted, NOTIFY_POLICY leaves out " + what);
            return Result.FILTERED;
        }
        Instant now = clock.instant();
        // the claim lasts as long as this invocation can; after a crash or timeout, a retry may claim again
        if (!state.claim(messageId, now, now.plusMillis(remainingMillis.getAsLong()))) {
            log.accept("not posted, already posted or being posted: " + what);
            return Result.DUPLICATE;
        }
        MessageKind kind = MessageKind.of(report.outcome());
        Optional<String> thread = kind != MessageKind.STARTED && client.threads() && report.commandId() != null
                ? state.thread(report.commandId()) : Optional.empty();
        Optional<String> ts;
        try {
            ts = client.post(SlackRenderer.render(report, context), thread.orElse(null), kind.showsDiagnosis(),
                    remainingMillis, log);
        } catch (RuntimeException e) {
            giveBack(messageId, log);
            throw e;
        }
        // the message is out: failing now would post it twice on retry, so bookkeeping errors are only logged
        try {
            state.delivered(messageId, clock.instant());
            if (kind == MessageKind.STARTED && ts.isPresent() && report.commandId() != null) {
                state.rememberThread(report.commandId(), ts.get(), clock.instant());
            }
        } catch (RuntimeException e) {
            log.accept("posted, but could not record it: " + e.getClass().getSimpleName());
        }
        log.accept("posted " + what + (thread.isPresent() ? " in its thread" : ""));
        return Result.POSTED;
    }

    private void giveBack(String messageId, Consumer<String> log) {
        try {
            state.release(messageId);
        } catch (RuntimeException e) {
            log.accept("could not release the claim on message " + messageId + " (it expires with this invocation): "
                    + e.getClass().getSimpleName());
        }
    }
}
