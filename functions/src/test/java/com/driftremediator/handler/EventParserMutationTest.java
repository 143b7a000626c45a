package com.driftremediator.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.driftremediator.testing.JsonMutants;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Event variants nobody wrote a fixture for: every field of every trigger fixture removed, or replaced by a value
 * of another type or a hostile one. The parser must answer each (a check, a result, or a reason to ignore it, short
 * enough for a log line) and never throw; a revision or instance id it hands on has passed {@code Revision}'s and {@code Target}'s checks.
 */
class EventParserMutationTest {
    private final EventParser parser = new EventParser(new EventParser.Config("streamr-p2p-beta", "main",
            "example/streamr-p2p", "streamr-p2p", "drift-remediator-redeploy"));

    @ParameterizedTest
    @ValueSource(strings = {"cloudformation-update-complete.json", "cloudformation-create-complete.json",
            "cloudformation-update-rollback-complete.json", "cloudformation-update-in-progress.json",
            "cloudformation-other-stack.json", "git-push-event.json", "git-push-other-branch-event.json",
            "codecommit-reference-updated.json", "schedule.json", "manual-check.json",
            "ssm-command-invocation-success.json", "ssm-command-invocation-failed.json",
            "ssm-command-invocation-in-progress.json", "ssm-command-invocation-other-document.json"})
    void everyMutationOfAFixtureGetsAnAnswer(String fixture) {
        List<String> mutants = JsonMutants.of(EventParserTest.fixture(fixture));
        assertThat(mutants).hasSizeGreaterThan(JsonMutants.REPLACEMENTS.size());
        for (String mutant : mutants) {
            for (EventParser.Parsed parsed : List.of(parser.driftCheck(mutant), parser.commandResult(mutant))) {
                assertThat(parsed).as(JsonMutants.shown(mutant)).isNotNull();
                if (parsed instanceof EventParser.Ignored ignored) {
                    assertThat(ignored.reason()).as(JsonMutants.shown(mutant)).isNotBlank().hasSizeLessThan(1_000);
                }
            }
        }
    }
}
