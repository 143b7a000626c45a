package com.driftremediator.slack;

import com.driftremediator.domain.Outcome;
import com.driftremediator.domain.Report;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NotifyPolicyTest {

    @Test
    void prodOnlyFailuresOtherEnvironmentsEveryChange() {
        NotifyPolicy policy = NotifyPolicy.parse("prod=failures;*=changes");
        assertThat(posted(policy, "prod")).containsExactlyInAnyOrder(
                Outcome.ROLLED_BACK, Outcome.FAILED, Outcome.TIMED_OUT, Outcome.UNREACHABLE);
        assertThat(posted(policy, "beta")).containsExactlyInAnyOrder(Outcome.STARTED, Outcome.REMEDIATED,
                Outcome.ROLLED_BACK, Outcome.FAILED, Outcome.TIMED_OUT, Outcome.UNREACHABLE);
    }

    @Test
    void unsetMeansEveryChangeButNoopAndSkipped() {
        assertThat(posted(NotifyPolicy.parse(null), "beta")).doesNotContain(Outcome.NOOP, Outcome.SKIPPED).hasSize(6);
        assertThat(posted(NotifyPolicy.parse(" "), "beta")).hasSize(6);
    }

    @Test
    void outcomesCanBeNamedOneByOneAndEnvironmentsSilenced() {
        NotifyPolicy policy = NotifyPolicy.parse("prod = failures, remediated ; dev=none; *=all");
        assertThat(posted(policy, "prod")).contains(Outcome.REMEDIATED, Outcome.FAILED).doesNotContain(Outcome.STARTED);
        assertThat(posted(policy, "dev")).isEmpty();
        assertThat(posted(policy, "qa")).hasSize(Outcome.values().length);
    }

    @Test
    void anEnvironmentWithoutARuleGetsChangesWhenThereIsNoWildcard() {
        assertThat(posted(NotifyPolicy.parse("prod=failures"), "beta")).hasSize(6);
    }

    @Test
    void mistakesFailAtColdStartNamingThePart() {
        assertThatThrownBy(() -> NotifyPolicy.parse("prod=failurs")).hasMessageContaining("'FAILURS'");
        assertThatThrownBy(() -> NotifyPolicy.parse("failures")).hasMessageContaining("without ENV=");
        assertThatThrownBy(() -> NotifyPolicy.parse("prod=all;prod=none")).hasMessageContaining("'prod' twice");
    }

    private static List<Outcome> posted(NotifyPolicy policy, String environment) {
        return Arrays.stream(Outcome.values()).filter(o -> policy.notifies(report(environment, o))).toList();
    }

    private static Report report(String environment, Outcome outcome) {
        return new Report(environment, "stack", null, null, null, null, null, outcome, null, null, null, null, null);
    }
}
