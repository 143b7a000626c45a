package bench.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class FleetTest {
    @Test
    void theCheckIsCountedBetweenTwoSnapshotsSsmApart() {
        Map<String, Long> calls = Fleet.delta(
                Map.of("AmazonSSM.SendCommand", 3L, "AmazonSSM.ListCommandInvocations", 10L, "sns.Publish", 1L),
                Map.of("AmazonSSM.SendCommand", 7L, "AmazonSSM.ListCommandInvocations", 10L, "sns.Publish", 1L,
                        "AmazonSSM.DescribeInstanceInformation", 4L, "cloudformation.DescribeStacks", 1L));

        assertThat(Fleet.only(calls, true)).containsExactly(Map.entry("DescribeInstanceInformation", 4L),
                Map.entry("SendCommand", 4L));
        assertThat(Fleet.only(calls, false)).containsExactly(Map.entry("cloudformation.DescribeStacks", 1L));
    }

    @Test
    void verdictsAndDecisionsAreTalliedFromTheResponse() throws Exception {
        var response = new ObjectMapper().readTree("""
                {"targets": [
                  {"verdict": {"sync": "SYNCED", "health": "HEALTHY"}, "decision": {"action": "NOOP"}},
                  {"verdict": {"sync": "SYNCED", "health": "HEALTHY"}, "decision": {"action": "NOOP"}},
                  {"verdict": {"sync": "UNKNOWN", "health": "UNKNOWN"}, "decision": {"action": "SKIP"}}]}
                """);

        assertThat(Fleet.tally(response, "verdict")).containsExactly(Map.entry("SYNCED/HEALTHY", 2),
                Map.entry("UNKNOWN/UNKNOWN", 1));
        assertThat(Fleet.tally(response, "decision")).containsExactly(Map.entry("NOOP", 2), Map.entry("SKIP", 1));
    }

    @Test
    void theTableWarnsWhenObservationWasNotPolledPerBatch() {
        Fleet.Result batched = result(50, Map.of("ListCommandInvocations", 3L, "SendCommand", 1L));
        Fleet.Result perInstance = result(200, Map.of("GetCommandInvocation", 400L, "SendCommand", 4L));

        String table = Fleet.table(List.of(batched, perInstance), "2 cores");

        assertThat(table).contains("| 50 | 1.2 | ListCommandInvocations 3, SendCommand 1 | none | SYNCED/HEALTHY 50 | NOOP 50 | 0.9, 5.0 |")
                .contains("warning: 200 instances: not polled per batch").doesNotContain("warning: 50 ");
    }

    @Test
    void theBudgetIsTheFunctionsTimeoutOrTheGlobalOne(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path file = java.nio.file.Files.writeString(dir.resolve("template.yaml"), """
                Globals:
                  Function:
                    Timeout: 60
                Resources:
                  DriftCheckFunction:
                    Properties:
                      Timeout: 300 # the check's budget
                  OtherFunction:
                    Properties:
                      Handler: x
                """);

        assertThat(new Template(file).timeoutSeconds("DriftCheckFunction")).isEqualTo(300);
        assertThat(new Template(file).timeoutSeconds("OtherFunction")).isEqualTo(60);
    }

    private static Fleet.Result result(int instances, Map<String, Long> ssm) {
        return new Fleet.Result(instances, 1234, new java.util.TreeMap<>(ssm), Map.of(),
                Map.of("SYNCED/HEALTHY", instances), Map.of("NOOP", instances), 900, 5000, List.of());
    }
}
