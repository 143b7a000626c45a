package com.driftremediator.domain;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RedeploySummaryTest {
    static final String NEW = VerdictTest.NEW.sha();
    static final String OLD = VerdictTest.OLD.sha();

    @Test
    void readsTheFirstJsonLineAndIgnoresTheLogAfterIt() {
        String stdout = "{\"result\":\"rolled_back\",\"revision\":\"" + NEW + "\",\"previous\":\"" + OLD
                + "\",\"serving\":\"" + OLD + "\",\"message\":\"unhealthy after 30s\",\"exitCode\":6}\n"
                + "fetching...\n{\"result\":\"deployed\"}\n";
        RedeploySummary s = RedeploySummary.parse(stdout);
        assertThat(s.outcome()).isEqualTo(Outcome.ROLLED_BACK);
        assertThat(s.serving()).isEqualTo(VerdictTest.OLD);
        assertThat(s.exitCode()).isEqualTo(6);
    }

    @Test
    void noSummaryGivesNull() {
        assertThat(RedeploySummary.parse("")).isNull();
        assertThat(RedeploySummary.parse(null)).isNull();
        assertThat(RedeploySummary.parse("{not json\n{\"other\":1}")).isNull();
    }

    @Test
    void unknownResultsAreFailures() {
        assertThat(RedeploySummary.parse("{\"result\":\"weird\"}").outcome()).isEqualTo(Outcome.FAILED);
        assertThat(RedeploySummary.parse("{\"result\":\"noop\",\"revision\":\"" + NEW + "\"}").outcome())
                .isEqualTo(Outcome.NOOP);
    }
}
