package com.driftremediator.cli;

import com.driftremediator.testing.ProjectPaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FunctionSpecTest {
    private final Template template = Template.read(ProjectPaths.root().resolve("template.yaml"));

    @Test
    void handlerAndEnvironmentComeFromTheTemplateWithParameterDefaults() {
        FunctionSpec spec = FunctionSpec.of(template, "DriftCheckFunction", null, Map.of(), "eu-west-1");

        assertThat(spec.handler()).isEqualTo("com.driftremediator.handler.DriftCheckHandler::handleRequest");
        assertThat(spec.timeoutSeconds()).isEqualTo(300);
        assertThat(spec.memoryMb()).isEqualTo(1024);
        assertThat(spec.variables())
                .containsEntry("ENVIRONMENT", "beta")                               // Globals, !Ref Environment
                .containsEntry("APP_STACK_NAME", "streamr-p2p-beta")
                .containsEntry("REVISION_PARAMETER_NAME", "/streamr/beta/desired-revision")
                .containsEntry("REVISION_AUTHORITY", "stack")
                .containsEntry("LEDGER_TABLE", "LedgerTable")                       // a resource: its logical ID, as SAM does
                .containsEntry("COMMAND_TIMEOUT_SECONDS", "600");
    }

    @Test
    void envVarsOverrideOnlyDeclaredVariablesAndTheFunctionsOwnEntryWins(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("env.json");
        Files.writeString(file, """
                {"Parameters": {"LEDGER_TABLE": "ledger-from-parameters", "TOPIC_ARN": "arn:topic", "NOT_DECLARED": "x"},
                 "DriftCheckFunction": {"LEDGER_TABLE": "ledger-for-drift-check"},
                 "CommandResultFunction": {"TOPIC_ARN": "other"}}""");

        FunctionSpec spec = FunctionSpec.of(template, "DriftCheckFunction", file, Map.of(), "eu-west-1");

        assertThat(spec.variables()).containsEntry("LEDGER_TABLE", "ledger-for-drift-check")
                .containsEntry("TOPIC_ARN", "arn:topic").doesNotContainKey("NOT_DECLARED");
    }

    @Test
    void aDeclaredVariableTakesTheShellsValueAndTheEnvVarsFileWinsOverBoth(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("env.json");
        Files.writeString(file, "{\"Parameters\": {\"LEDGER_TABLE\": \"from-file\"}}");
        Map<String, String> shell = Map.of("LEDGER_TABLE", "from-shell", "TOPIC_ARN", "arn:from-shell", "HOME", "/root");

        FunctionSpec spec = FunctionSpec.of(template, "DriftCheckFunction", file, shell, "eu-west-1");

        assertThat(spec.variables()).containsEntry("LEDGER_TABLE", "from-file").containsEntry("TOPIC_ARN", "arn:from-shell")
                .doesNotContainKey("HOME");
    }

    @Test
    void theEndpointIsDeclaredEmptyForSamLocalInvokeToSetIt() {
        assertThat(FunctionSpec.of(template, "DiagnoseFunction", null, Map.of(), "eu-west-1").variables())
                .containsEntry("AWS_ENDPOINT_URL", "");
        assertThat(FunctionSpec.of(template, "DiagnoseFunction", null, Map.of("AWS_ENDPOINT_URL", "http://127.0.0.1:5055"),
                "eu-west-1").variables()).containsEntry("AWS_ENDPOINT_URL", "http://127.0.0.1:5055");
    }

    @Test
    void anUnknownFunctionIsAUsageErrorNamingTheFunctions() {
        assertThatThrownBy(() -> FunctionSpec.of(template, "LedgerTable", null, Map.of(), "eu-west-1"))
                .isInstanceOf(Main.UsageException.class)
                .hasMessageContaining("no function LedgerTable in template.yaml (functions: ").hasMessageContaining("DriftCheckFunction");
    }

    @Test
    void intrinsicsResolveLikeSamLocal() {
        Intrinsics i = new Intrinsics(java.util.Map.of("Environment", "prod"), java.util.Map.of("Bus", "bus-1"), "eu-west-1");

        assertThat(i.text(java.util.Map.of("Fn::Sub", "/drift-remediator/${Environment}/${AWS::Region}"))).isEqualTo("/drift-remediator/prod/eu-west-1");
        assertThat(i.text(java.util.Map.of("Ref", "Bus"))).isEqualTo("bus-1");
        assertThat(i.text(java.util.Map.of("Fn::Join", java.util.List.of("-", java.util.List.of("a", java.util.Map.of("Ref", "Environment"))))))
                .isEqualTo("a-prod");
    }
}
