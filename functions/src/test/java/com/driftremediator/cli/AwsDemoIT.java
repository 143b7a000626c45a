package com.driftremediator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** `demo --aws --json`: the incident on the AWS path, unattended; exit 0 exactly when it ends as designed. */
class AwsDemoIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theStaleInstanceIsRemediatedAndServesTheNewRoute() throws Exception {
        CliProcess demo = CliProcess.run(Map.of(), "demo", "--aws", "--json");

        assertThat(demo.exitCode()).as(demo.stderr()).isZero();
        JsonNode r = JSON.readTree(demo.stdout());
        assertThat(r.path("scenario").asText()).isEqualTo("stale");
        assertThat(r.path("outcome").asText()).isEqualTo("REMEDIATED");
        assertThat(r.path("asDesigned").asBoolean()).isTrue();
        assertThat(r.path("before").path("served").asText()).isEqualTo(SampleEnvironment.BOOTED.sha());
        assertThat(r.path("before").path("liveStatus").asInt()).isEqualTo(404);
        assertThat(r.path("after").path("served").asText()).isEqualTo(SampleEnvironment.DESIRED.sha());
        assertThat(r.path("after").path("revision").asText()).isEqualTo(SampleEnvironment.DESIRED.sha());
        assertThat(r.path("after").path("liveStatus").asInt()).isEqualTo(200);
        assertThat(r.path("diagnosis").path("verdict").asText()).isNotBlank();
        assertThat(r.path("notification").path("commandId").asText()).isEqualTo(r.path("commandId").asText());
    }

    @Test
    void theSameStoryFromTheBundlesThePipelineUploadedToS3() throws Exception {
        CliProcess demo = CliProcess.run(Map.of(), "demo", "--aws", "--source", "s3", "--json");

        assertThat(demo.exitCode()).as(demo.stderr()).isZero();
        JsonNode r = JSON.readTree(demo.stdout());
        assertThat(r.path("repositoryUrl").asText()).isEqualTo("s3://streamr-p2p-bundles/beta");
        assertThat(r.path("outcome").asText()).isEqualTo("REMEDIATED");
        assertThat(r.path("after").path("served").asText()).isEqualTo(SampleEnvironment.DESIRED.sha());
        assertThat(r.path("after").path("liveStatus").asInt()).isEqualTo(200);
    }

    @Test
    void aReleaseThatCrashesIsRolledBackAndTheOldCommitServesAgain() throws Exception {
        CliProcess demo = CliProcess.run(Map.of(), "demo", "--aws", "--scenario", "bad-release", "--json");

        assertThat(demo.exitCode()).as(demo.stderr()).isZero();
        JsonNode r = JSON.readTree(demo.stdout());
        assertThat(r.path("outcome").asText()).isEqualTo("ROLLED_BACK");
        assertThat(r.path("desired").asText()).isEqualTo(SampleEnvironment.BAD_RELEASE.sha());
        assertThat(r.path("after").path("served").asText()).isEqualTo(SampleEnvironment.BOOTED.sha());
        assertThat(r.path("notification").path("outcome").asText()).isEqualTo("ROLLED_BACK");
    }
}
