package com.driftremediator.domain;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReportJsonTest {
    @Test
    void roundTripsEveryField() {
        Report r = new Report("beta", "streamr-p2p-beta", List.of("i-0123456789abcdef0"), VerdictTest.NEW,
                VerdictTest.OLD, "stack output DesiredRevision", "app directory at 3f2a1c9", Outcome.REMEDIATED,
                "cmd-1", Instant.parse("2026-11-26T14:05:00Z"), Instant.parse("2026-11-26T14:05:42Z"),
                Map.of("commandOutput", "https://console.aws.amazon.com/x"), null);
        String json = ReportJson.write(r);
        assertThat(json).contains("\"durationMs\":42000").contains("\"outcome\":\"REMEDIATED\"");
        assertThat(ReportJson.read(json)).isEqualTo(r);
    }

    @Test
    void rejectsWhatIsNotAReport() {
        assertThatThrownBy(() -> ReportJson.read("nope")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ReportJson.read("{\"outcome\":\"EXPLODED\"}")).hasMessageContaining("EXPLODED");
        assertThatThrownBy(() -> ReportJson.read("[]")).isInstanceOf(IllegalArgumentException.class);
    }
}
