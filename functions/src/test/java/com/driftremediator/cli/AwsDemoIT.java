package com.driftremediator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.driftremediator.local.GitHttpsHost;
import com.driftremediator.local.SshGitHost;
import com.driftremediator.testing.SystemPackages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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

    /** Each source the flag switches to: the pipeline's S3 bundles, a private host over HTTPS or SSH, CodeCommit. */
    @ParameterizedTest
    @ValueSource(strings = {"s3", "https", "ssh", "codecommit"})
    void theSameStoryFromEachSourceTheFlagSwitchesTo(String source) throws Exception {
        if (source.equals("https") || source.equals("codecommit")) {
            SystemPackages.require("apache2", GitHttpsHost.APACHE, "demo --aws --source " + source + " (Apache httpd in front of git http-backend)");
        }
        if (source.equals("ssh")) SystemPackages.require("openssh-server", SshGitHost.SSHD, "demo --aws --source ssh (OpenSSH's sshd)");
        CliProcess demo = CliProcess.run(Map.of(), "demo", "--aws", "--source", source, "--json");

        assertThat(demo.exitCode()).as(demo.stderr()).isZero();
        JsonNode r = JSON.readTree(demo.stdout());
        assertThat(r.path("repositoryUrl").asText()).startsWith(switch (source) {
            case "s3" -> "s3://streamr-p2p-bundles/beta";
            case "codecommit" -> "https://git-codecommit.eu-west-1.amazonaws.com/v1/repos/";
            default -> source + "://";
        });
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
