package com.driftremediator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** `remediator invoke` as a process: the template's handler string, its environment, stdout/stderr discipline. */
class InvokeCommandIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> REGION = Map.of("AWS_REGION", "eu-west-1",
            "AWS_ACCESS_KEY_ID", "testing", "AWS_SECRET_ACCESS_KEY", "testing");

    @Test
    void invokesTheHandlerNamedInTheTemplateWithItsEnvironmentAndPrintsOnlyTheResponse() throws Exception {
        CliProcess r = CliProcess.run(REGION, "invoke", "DriftCheckFunction", "-e", "events/cloudformation-other-stack.json");

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(JSON.readTree(r.stdout())).isEqualTo(JSON.readTree("{\"ignored\":\"stack billing-service-prod is not streamr-p2p-beta\"}"));
        assertThat(r.stderr()).contains("ignored: stack billing-service-prod");
    }

    @Test
    void envVarsOverrideTheTemplatesValues(@TempDir Path dir) throws Exception {
        Path env = dir.resolve("env.json");
        Files.writeString(env, "{\"Parameters\": {\"APP_STACK_NAME\": \"billing-service-prod\"}}");

        CliProcess r = CliProcess.run(REGION, "invoke", "DriftCheckFunction", "-e",
                "events/cloudformation-update-rollback-complete.json", "--env-vars", env.toString());

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(JSON.readTree(r.stdout()).path("ignored").asText()).isEqualTo("stack streamr-p2p-beta is not billing-service-prod");
    }

    @Test
    void commandResultFunctionIgnoresUnfinishedInvocations() throws Exception {
        CliProcess r = CliProcess.run(REGION, "invoke", "CommandResultFunction", "-e",
                "events/ssm-command-invocation-in-progress.json", "--env-vars", writeDocumentName());

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(JSON.readTree(r.stdout()).path("ignored").asText()).isEqualTo("invocation not finished: InProgress");
    }

    @Test
    void aMissingSettingFailsAtColdStartWithItsNameInLambdasErrorShape() throws Exception {
        CliProcess r = CliProcess.run(Map.of("AWS_ACCESS_KEY_ID", "testing", "AWS_SECRET_ACCESS_KEY", "testing",
                "AWS_REGION", ""), "invoke", "DriftCheckFunction", "-e", "events/manual-check.json");

        assertThat(r.exitCode()).isEqualTo(1);
        JsonNode error = JSON.readTree(r.stdout());
        assertThat(error.path("errorMessage").asText()).isEqualTo("AWS_REGION is not set");
    }

    @Test
    void anUnknownFunctionIsAUsageError() {
        CliProcess r = CliProcess.run(REGION, "invoke", "NoSuchFunction", "-e", "events/manual-check.json");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stdout()).isEmpty();
        assertThat(r.stderr()).contains("no function NoSuchFunction in template.yaml (functions: ").contains("DriftCheckFunction");
    }

    private static String writeDocumentName() throws Exception {
        Path f = Files.createTempFile("env", ".json");
        Files.writeString(f, "{\"CommandResultFunction\": {\"REDEPLOY_DOCUMENT\": \"drift-remediator-redeploy\"}}");
        return f.toString();
    }
}
