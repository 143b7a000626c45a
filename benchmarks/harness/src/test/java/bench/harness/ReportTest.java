package bench.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ReportTest {
    private static final Runtime RUNTIME = new Runtime("test", Path.of(System.getProperty("java.home")), true, "",
            Runtime.Archive.NONE);

    @Test
    void theResultHasTheContractKeysRatiosAndTargets() throws Exception {
        Map<String, Object> r = Report.result(
                List.of(config("floor", 100, 110, 120), config("naive", 1000, 1100, 900),
                        config("DriftCheckFunction", 400, 450, 380)),
                List.of(), Map.of("DriftCheckFunction", warm(20, 4.0, 1.0)), 9_000_000, 40_000_000, RUNTIME);

        assertThat(r).containsEntry("driftCheckColdP50Ms", 400.0).containsEntry("naiveColdP50Ms", 1000.0)
                .containsEntry("floorColdP50Ms", 110.0).containsEntry("driftCheckWarmP50Ms", 20.0)
                .containsEntry("driftCheckWarmNonAwsP50Ms", 4.0).containsEntry("driftCheckWarmOutsideSdkP50Ms", 1.0)
                .containsEntry("zipBytes", 9_000_000L)
                .containsEntry("driftCheckToNaiveColdRatio", 0.4).containsEntry("driftCheckToFloorColdRatio", 3.636);
        assertThat(r.get("targets")).isEqualTo(Map.of("coldP50AtMostHalfOfNaive", true, "coldP50AtMost3xFloor", false,
                "warmP50NonAwsAtMost5Ms", true, "zipAtMost12MB", true));
    }

    @Test
    void targetsFailPastTheirLimits() throws Exception {
        Map<String, Object> r = Report.result(
                List.of(config("floor", 200, 200, 200), config("naive", 1000, 1000, 1000),
                        config("DriftCheckFunction", 501, 600, 550)),
                List.of(), Map.of("DriftCheckFunction", warm(20, 5.1, 1.0)), 12L * 1024 * 1024 + 1, 1, RUNTIME);

        assertThat(r.get("targets")).isEqualTo(Map.of("coldP50AtMostHalfOfNaive", false, "coldP50AtMost3xFloor", true,
                "warmP50NonAwsAtMost5Ms", false, "zipAtMost12MB", false));
    }

    @Test
    void theTableShowsEveryConfigurationAndTheRatios() throws Exception {
        Map<String, Object> r = new java.util.LinkedHashMap<>(Report.result(
                List.of(config("floor", 100, 100, 100), config("naive", 1000, 1000, 1000),
                        config("DriftCheckFunction", 400, 400, 400)),
                List.of(), Map.of(), 9_000_000, 40_000_000, RUNTIME));

        String table = Report.table(r);

        assertThat(table).contains("floor").contains("naive").contains("DriftCheckFunction")
                .contains("400.0 ms").contains("DriftCheck/naive cold p50 ratio: 0.4; DriftCheck/floor: 4.0");
        assertThat(r.get("driftCheckWarmP50Ms")).as("no warm run, no warm figure").isNull();
    }

    private static Bench.Config config(String label, double... coldMs) {
        Subject subject = new Subject(label, Path.of("."), "h::handleRequest", Map.of(), () -> "{}", () -> { });
        Bench.Config c = new Bench.Config(label, subject, RUNTIME);
        for (double ms : coldMs) c.cold.add(new Bench.Sample(ms, ms / 2, ms));
        return c;
    }

    private static Bench.Warm warm(double handlerMs, double nonAwsMs, double outsideSdkMs) {
        return new Bench.Warm(Collections.nCopies(5, handlerMs), Collections.nCopies(5, nonAwsMs),
                Collections.nCopies(5, outsideSdkMs), 11);
    }
}
