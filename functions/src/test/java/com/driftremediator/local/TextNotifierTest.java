package com.driftremediator.local;

import com.driftremediator.domain.Outcome;
import com.driftremediator.domain.Report;
import com.driftremediator.domain.Revision;
import com.driftremediator.slack.RenderContext;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TextNotifierTest {
    @Test
    void rendersTheSlackMessageAsATextPreview() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TextNotifier notifier = new TextNotifier(new PrintStream(bytes, true, StandardCharsets.UTF_8),
                new RenderContext(null, "http://127.0.0.1:8000/", null));
        Report report = new Report("sandbox", "streamr-p2p-beta", List.of("i-0d1f7e5a5b0c0ffee"),
                Revision.of("194af44" + "0".repeat(33)), Revision.of("3f2a1c9" + "1".repeat(33)), "branch head main",
                "app directory at 3f2a1c9, desired 194af44", Outcome.REMEDIATED, "cmd-1",
                Instant.parse("2026-11-26T14:03:00Z"), Instant.parse("2026-11-26T14:03:02.500Z"), Map.of(), null);

        notifier.publish(report);

        String text = bytes.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("streamr-p2p-beta", "sandbox", "194af44", "3f2a1c9", "app directory at 3f2a1c9",
                "http://127.0.0.1:8000/");
        assertThat(notifier.published()).containsExactly(report);
        assertThat(notifier.message(report).text()).isNotBlank();
    }
}
