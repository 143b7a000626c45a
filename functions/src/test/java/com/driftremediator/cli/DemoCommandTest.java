package com.driftremediator.cli;

import com.driftremediator.domain.Outcome;
import com.driftremediator.domain.Revision;
import com.driftremediator.local.Demo;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class DemoCommandTest {
    private static final Revision OLD = Revision.of("3f2a1c9" + "0".repeat(33));
    private static final Revision NEW = Revision.of("194af44" + "1".repeat(33));

    @Test
    void unknownOptionsAndScenariosAreUsageErrors() {
        assertThat(Main.run(new String[]{"demo", "--colour"})).isEqualTo(2);
        assertThat(Main.run(new String[]{"demo", "--scenario", "meltdown"})).isEqualTo(2);
        assertThat(Main.run(new String[]{"demo", "--workdir"})).isEqualTo(2);
    }

    @Test
    void staleEndsAsDesignedOnlyWhenTheDesiredRevisionServes() {
        Demo.State before = new Demo.State(OLD, OLD, 404);
        assertThat(result(Demo.Scenario.STALE, before, new Demo.State(NEW, NEW, 200), Outcome.REMEDIATED).asDesigned()).isTrue();
        assertThat(result(Demo.Scenario.STALE, before, new Demo.State(NEW, OLD, 404), Outcome.FAILED).asDesigned()).isFalse();
        assertThat(result(Demo.Scenario.STALE, before, new Demo.State(NEW, null, 0), Outcome.FAILED).asDesigned()).isFalse();
    }

    @Test
    void badReleaseEndsAsDesignedOnlyWhenRolledBackToWhatServedBefore() {
        Demo.State before = new Demo.State(OLD, OLD, 404);
        Demo.State same = new Demo.State(OLD, OLD, 404);
        assertThat(result(Demo.Scenario.BAD_RELEASE, before, same, Outcome.ROLLED_BACK).asDesigned()).isTrue();
        assertThat(result(Demo.Scenario.BAD_RELEASE, before, same, Outcome.FAILED).asDesigned()).isFalse();
        assertThat(result(Demo.Scenario.BAD_RELEASE, before, new Demo.State(OLD, null, 0), Outcome.ROLLED_BACK)
                .asDesigned()).isFalse();
    }

    @Test
    void jsonCarriesTheFieldsOfTheContract() throws Exception {
        Demo.Result r = result(Demo.Scenario.STALE, new Demo.State(OLD, OLD, 404), new Demo.State(NEW, NEW, 200),
                Outcome.REMEDIATED);

        JsonNode n = new ObjectMapper().readTree(DemoCommand.json(r, Path.of("/tmp/demo"), false));

        assertThat(n.path("scenario").asText()).isEqualTo("stale");
        assertThat(n.path("desired").asText()).isEqualTo(NEW.sha());
        assertThat(n.path("before").path("revision").asText()).isEqualTo(OLD.sha());
        assertThat(n.path("before").path("served").asText()).isEqualTo(OLD.sha());
        assertThat(n.path("before").path("liveStatus").asInt()).isEqualTo(404);
        assertThat(n.path("after").path("served").asText()).isEqualTo(NEW.sha());
        assertThat(n.path("after").path("liveStatus").asInt()).isEqualTo(200);
        assertThat(n.path("outcome").asText()).isEqualTo("REMEDIATED");
        assertThat(n.path("durationMs").asLong()).isEqualTo(3100);
        assertThat(n.path("workdir").isNull()).as("no workdir once it is gone").isTrue();
    }

    private static Demo.Result result(Demo.Scenario scenario, Demo.State before, Demo.State after, Outcome outcome) {
        Revision desired = scenario == Demo.Scenario.STALE ? NEW : Revision.of("5f4d341" + "2".repeat(33));
        return new Demo.Result(scenario, desired, before, after, outcome, "cmd-1", 3100, null, null);
    }
}
