package com.driftremediator.domain;

import com.driftremediator.testing.JsonMutants;
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

    /** An instance's stdout is not ours to trust: every field of a summary removed or replaced, and still an answer. */
    @Test
    void everyMutationOfASummaryIsReadWithoutThrowing() {
        String summary = "{\"result\":\"deployed\",\"revision\":\"194af44c0ffee0000000000000000000000000aa\","
                + "\"previous\":\"3f2a1c9d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a39\",\"serving\":\"194af44c0ffee0000000000000000000000000aa\","
                + "\"message\":\"deployed 194af44\",\"exitCode\":0,\"durationMs\":4200}";
        for (String mutant : JsonMutants.of(summary)) {
            RedeploySummary parsed = RedeploySummary.parse("log line\n" + mutant + "\nmore log");
            if (parsed != null) {
                assertThat(parsed.outcome()).as(JsonMutants.shown(mutant)).isNotNull();
                assertThat(parsed.message()).isNotNull();
            }
        }
    }
}
