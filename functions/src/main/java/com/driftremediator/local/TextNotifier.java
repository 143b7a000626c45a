package com.driftremediator.local;

import com.driftremediator.domain.Notifier;
import com.driftremediator.domain.Report;
import com.driftremediator.slack.RenderContext;
import com.driftremediator.slack.SlackMessage;
import com.driftremediator.slack.SlackRenderer;

import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The terminal's stand-in for Slack: renders each report with the real Block Kit templates, as a text preview. */
public final class TextNotifier implements Notifier {
    private final PrintStream out;
    private final RenderContext context;
    private final List<Report> published = new CopyOnWriteArrayList<>();

    public TextNotifier(PrintStream out, RenderContext context) {
        this.out = out;
        this.context = context;
    }

    @Override
    public void publish(Report report) {
        published.add(report);
        out.println(SlackRenderer.preview(message(report)));
    }

    /** The exact payload SlackNotifierFunction would post for this report. */
    public SlackMessage message(Report report) {
        return SlackRenderer.render(report, context);
    }

    public List<Report> published() {
        return List.copyOf(published);
    }
}
