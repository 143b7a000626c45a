package com.driftremediator.local;

import com.driftremediator.domain.Notifier;
import com.driftremediator.domain.Report;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/** Renders each report as a few lines of plain text (the terminal's stand-in for the Slack message). */
public final class TextNotifier implements Notifier {
    private final PrintStream out;
    private final List<Report> published = new CopyOnWriteArrayList<>();

    public TextNotifier(PrintStream out) {
        this.out = out;
    }

    @Override
    public void publish(Report report) {
        published.add(report);
        out.println(render(report));
    }

    public List<Report> published() {
        return List.copyOf(published);
    }

    public static String render(Report r) {
        StringBuilder s = new StringBuilder();
        s.append("+-- drift-remediator: ").append(r.outcome()).append(" on ").append(r.stack())
                .append(" (").append(r.environment()).append(")\n");
        line(s, "instances", String.join(", ", r.instances()));
        line(s, "desired", r.desired() == null ? null
                : r.desired().shortSha() + (r.revisionSource() == null ? "" : ", from " + r.revisionSource()));
        line(s, "previous", r.previous() == null ? null : r.previous().shortSha());
        line(s, "why", r.verdictReason());
        line(s, "command", r.commandId());
        if (r.finishedAt() != null) line(s, "took", String.format(Locale.ROOT, "%.1f s", r.durationMs() / 1000.0));
        r.links().forEach((name, url) -> line(s, name, url));
        line(s, "diagnosis", r.diagnosis());
        return s.append("+--").toString();
    }

    private static void line(StringBuilder s, String label, String value) {
        if (value != null && !value.isBlank()) {
            s.append(String.format(Locale.ROOT, "| %-10s %s%n", label, value));
        }
    }
}
