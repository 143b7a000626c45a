package com.driftremediator.cli;

import com.driftremediator.emulator.EventRouter;
import com.driftremediator.testing.ProjectPaths;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The template's own EventBridge rule patterns, through AWS's Event Ruler as the emulator routes events, against
 * the documented event fixtures: which function each one wakes, on which bus.
 */
class EventRulesTest {
    private static final List<EventRouter.Rule> RULES = Emulator.rules(Template.read(ProjectPaths.root().resolve("template.yaml")),
            Map.of("AppStackName", "streamr-p2p-beta", "CodeCommitRepository", "streamr-p2p"),
            Map.of("RedeployDocument", "drift-remediator-redeploy", "RemediationBus", "drift-remediator-beta"));

    @ParameterizedTest(name = "{0} on {1} wakes [{2}]")
    @CsvSource({
            "cloudformation-create-complete.json, default, DriftCheckFunction",
            "cloudformation-update-complete.json, default, DriftCheckFunction",
            "cloudformation-update-in-progress.json, default, ''",
            "cloudformation-update-rollback-complete.json, default, ''",
            "cloudformation-other-stack.json, default, ''",
            "codecommit-reference-updated.json, default, DriftCheckFunction",
            "git-push-event.json, drift-remediator-beta, DriftCheckFunction",
            "git-push-event.json, default, ''",
            "git-push-other-branch-event.json, drift-remediator-beta, ''",
            "ssm-command-invocation-success.json, default, CommandResultFunction",
            "ssm-command-invocation-failed.json, default, CommandResultFunction",
            "ssm-command-invocation-in-progress.json, default, ''",
            "ssm-command-invocation-other-document.json, default, ''",
            "schedule.json, default, DriftCheckFunction",
            "manual-check.json, default, ''",
            "manual-retry.json, default, ''",
    })
    void aFixtureWakesExactlyTheFunctionsWhoseRulesMatchIt(String fixture, String bus, String expected) throws Exception {
        List<String> invoked = new ArrayList<>();
        EventRouter router = new EventRouter(RULES, (function, event) -> invoked.add(function));

        List<String> matched = router.route(bus, Files.readString(ProjectPaths.root().resolve("events").resolve(fixture)));
        router.close();

        List<String> want = expected.isEmpty() ? List.of() : List.of(expected);
        assertThat(matched).isEqualTo(want);
        assertThat(invoked).isEqualTo(want);
    }

    @org.junit.jupiter.api.Test
    void aStackOfAnotherNameOrANonJsonEventWakesNothing() throws Exception {
        EventRouter router = new EventRouter(Emulator.rules(Template.read(ProjectPaths.root().resolve("template.yaml")),
                Map.of("AppStackName", "streamr-p2p-prod"), Map.of()), (function, event) -> { });

        assertThat(router.route("default", Files.readString(ProjectPaths.root().resolve("events/cloudformation-update-complete.json"))))
                .isEmpty();
        assertThat(router.route("default", "not json")).isEmpty();
        router.close();
    }
}
