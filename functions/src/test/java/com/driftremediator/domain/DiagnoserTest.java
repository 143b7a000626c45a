package com.driftremediator.domain;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class DiagnoserTest {
    static final String STALE_OUTPUT = HostFactsTest.OUTPUT;

    /** One running, online instance tagged with its stack; the host answers with {@code stdout}. */
    static final class OneInstance implements DiagnosticSource {
        final List<String> asked = new ArrayList<>();
        String stdout = STALE_OUTPUT;

        @Override
        public InstanceFacts instance(Target target) {
            if (!target.equals(DiagnosisTest.TARGET)) throw new IllegalStateException("EC2 throttled");
            return new InstanceFacts(target, "running", DiagnosisTest.LAUNCH, "p",
                    Map.of(Diagnoser.STACK_TAG, "tagged-stack"), DiagnosisTest.USER_DATA, DiagnosisTest.ONLINE);
        }

        @Override
        public List<Target> instancesOf(String stack) {
            return List.of(DiagnosisTest.TARGET);
        }

        @Override
        public Optional<Instant> stackUpdatedAt(String stack) {
            asked.add(stack);
            return Optional.of(DiagnosisTest.STACK_UPDATE);
        }

        @Override
        public Optional<DesiredRevision> desired(String stack) {
            return Optional.of(new DesiredRevision(DiagnosisTest.NEW, DesiredRevision.Origin.STACK_PARAMETER, "AppRevision"));
        }

        @Override
        public HostRun runOnHost(Target target) {
            return HostRun.output(stdout);
        }
    }

    private final OneInstance source = new OneInstance();

    @Test
    void usesTheInstancesStackTagWhenNoStackIsGiven() {
        Diagnosis d = new Diagnoser(source, "default-stack").diagnose(DiagnosisTest.TARGET, null, null);

        assertThat(source.asked).containsExactly("tagged-stack");
        assertThat(d.facts().stack()).isEqualTo("tagged-stack");
        assertThat(d.verdict()).isEqualTo(Diagnosis.Verdict.STALE_SINCE_BOOT);
        assertThat(d.explanation()).contains("desired 194af44 (stack parameter AppRevision)");
    }

    @Test
    void aGivenRevisionWinsOverTheStacks() {
        Revision onDisk = Revision.of("3f2a1c900000000000000000000000000000000a");

        Diagnosis d = new Diagnoser(source, null).diagnose(DiagnosisTest.TARGET, "s", onDisk);

        assertThat(d.facts().desired().revision()).isEqualTo(onDisk);
        assertThat(d.verdict()).isEqualTo(Diagnosis.Verdict.HEALTHY_CURRENT);
        assertThat(d.explanation()).endsWith("Note: cloud-init has not finished (no final 'finished at' line) and its log "
                + "shows 1 error line(s), last: 12:Traceback (most recent call last):.");
    }

    @Test
    void outputThatIsNotTheScriptsMakesTheInstanceUnreachable() {
        source.stdout = "{\"result\":\"deployed\"}";

        Diagnosis d = new Diagnoser(source, null).diagnose(DiagnosisTest.TARGET, "s", null);

        assertThat(d.verdict()).isEqualTo(Diagnosis.Verdict.UNREACHABLE);
        assertThat(d.explanation()).startsWith("the diagnostic command did not answer: no drift-remediator-diagnose/1 facts line");
    }

    @Test
    void summarizesEveryInstanceForAFailureReportWithoutThrowing() {
        String summary = new Diagnoser(source, null).summarize(
                List.of(DiagnosisTest.TARGET.instanceId(), "i-0bbbbbbbbbbbbbbbb", "bogus"), "s", null);

        assertThat(summary.lines()).hasSize(3);
        assertThat(summary.lines().toList().get(0)).startsWith("i-0123456789abcdef0: STALE_SINCE_BOOT: service started at boot");
        assertThat(summary.lines().toList().get(1)).isEqualTo("i-0bbbbbbbbbbbbbbbb: no diagnosis (EC2 throttled)");
        assertThat(summary.lines().toList().get(2)).startsWith("bogus: no diagnosis (not an EC2 instance id");
    }
}
