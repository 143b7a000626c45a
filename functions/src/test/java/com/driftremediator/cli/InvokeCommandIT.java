package com.driftremediator.cli;

import com.driftremediator.testing.MotoServer;
import com.driftremediator.testing.ProjectPaths;
import com.driftremediator.testing.SamCli;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * `remediator invoke` as a process: the template's handler string, its environment, stdout/stderr discipline; with
 * {@code --package}, a `sam build` package behind AWS's Runtime Interface Emulator, as `sam local invoke` runs it.
 */
class InvokeCommandIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> REGION = Map.of("AWS_REGION", "eu-west-1",
            "AWS_ACCESS_KEY_ID", "testing", "AWS_SECRET_ACCESS_KEY", "testing");
    private static final Pattern RIE = Pattern.compile("invoke: aws-lambda-rie \\(pid (\\d+)\\) on 127\\.0\\.0\\.1:\\d+,");

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

    @Test
    void aPackageRunsBehindTheRuntimeInterfaceEmulatorOnLoopbackAndNothingOfItIsLeftRunning() throws Exception {
        CliProcess r = CliProcess.run(REGION, "invoke", "DriftCheckFunction", "-e",
                "events/cloudformation-update-rollback-complete.json", "--package", SamCli.builtPackage("DriftCheckFunction").toString());

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(JSON.readTree(r.stdout())).isEqualTo(JSON.readTree(
                "{\"ignored\":\"stack streamr-p2p-beta status UPDATE_ROLLBACK_COMPLETE does not start a check\"}"));
        Matcher rie = RIE.matcher(r.stderr());
        assertThat(rie.find()).as(r.stderr()).isTrue();
        assertThat(r.stderr()).as("the emulator's report lines").contains("START RequestId: ", "REPORT RequestId: ");
        assertThat(ProcessHandle.of(Long.parseLong(rie.group(1))).filter(ProcessHandle::isAlive)).as("the emulator").isEmpty();
        assertThat(runtimeInterfaceClients()).as("the runtime's JVM").isEmpty();
    }

    /** As under `sam local invoke`, the shell's AWS_ENDPOINT_URL does not reach the function: the file takes it there. */
    @Test
    void theEnvVarsFileAloneTakesAPackageToTheAwsEmulator(@TempDir Path dir) throws Exception {
        try (MotoServer moto = MotoServer.start()) {
            Path env = dir.resolve("env.json");
            Files.writeString(env, "{\"Parameters\": {\"AWS_ENDPOINT_URL\": \"" + moto.endpoint() + "\"}}");

            CliProcess r = CliProcess.run(REGION, "invoke", "DiagnoseFunction", "-e", "events/diagnose-instance.json",
                    "--env-vars", env.toString(), "--package", SamCli.builtPackage("DiagnoseFunction").toString());

            assertThat(r.exitCode()).as(r.stderr()).isZero();
            JsonNode diagnosis = JSON.readTree(r.stdout());
            assertThat(diagnosis.path("verdict").asText()).isEqualTo("NOT_RUNNING");
            assertThat(diagnosis.path("facts").path("instance").path("state").asText()).as("moto's answer").isEqualTo("not-found");
        }
    }

    @Test
    void aPackagesFailureIsLambdasErrorShapeAndExitStatusOne(@TempDir Path dir) throws Exception {
        Path env = dir.resolve("env.json");
        Files.writeString(env, "{\"DiagnoseFunction\": {\"DIAGNOSE_DOCUMENT\": \"\"}}");

        CliProcess r = CliProcess.run(REGION, "invoke", "DiagnoseFunction", "-e", "events/diagnose-instance.json",
                "--env-vars", env.toString(), "--package", SamCli.builtPackage("DiagnoseFunction").toString());

        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(1);
        JsonNode error = JSON.readTree(r.stdout());
        assertThat(error.path("errorMessage").asText()).isEqualTo("environment variable DIAGNOSE_DOCUMENT is not set");
        assertThat(error.path("errorType").asText()).isEqualTo("java.lang.IllegalStateException");
    }

    @Test
    void withoutTheRuntimeInterfaceEmulatorAPackageInvocationSaysHowToGetIt(@TempDir Path emptyVenv) throws Exception {
        Map<String, String> env = new HashMap<>(REGION);
        env.put("DRIFT_VENV", emptyVenv.toString());

        CliProcess r = CliProcess.run(env, "invoke", "DriftCheckFunction", "-e", "events/manual-check.json",
                "--package", Files.createDirectories(emptyVenv.resolve("pkg/lib")).getParent().toString());

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr().strip()).isEqualTo("remediator invoke: invoke --package runs AWS's Runtime Interface Emulator, and "
                + emptyVenv.resolve("bin/aws-lambda-rie") + " is missing: run bin/test once (it builds it with go install)");
    }

    /**
     * The contract `sam local invoke FUNCTION --env-vars FILE` has with its container, read from SAM CLI's own code:
     * every variable it would set, the function's and Lambda's, {@code invoke --package} sets to the same value.
     */
    @Test
    void aPackageGetsTheEnvironmentSamLocalInvokeGivesItsContainer(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("env.json");
        Files.writeString(file, """
                {"Parameters": {"AWS_ENDPOINT_URL": "http://127.0.0.1:5055", "LEDGER_TABLE": "ledger", "NOT_DECLARED": "x"},
                 "DriftCheckFunction": {"TOPIC_ARN": "arn:aws:sns:eu-west-1:123456789012:reports"}}""");
        Map<String, String> shell = Map.of("AWS_REGION", "eu-west-1", "AWS_DEFAULT_REGION", "eu-west-1",
                "AWS_ACCESS_KEY_ID", "testing", "AWS_SECRET_ACCESS_KEY", "testing", "APP_STACK_NAME", "from-the-shell");
        Template template = Template.read(ProjectPaths.root().resolve("template.yaml"));
        List<String> functions = template.resources().entrySet().stream()
                .filter(e -> e.getValue() instanceof Map<?, ?> m && "AWS::Serverless::Function".equals(m.get("Type")))
                .map(Map.Entry::getKey).toList();

        JsonNode sam = samLocalEnvironments(file, shell, functions);

        assertThat(functions).hasSize(5);
        assertThat(sam.path("DriftCheckFunction").path("AWS_ENDPOINT_URL").asText()).isEqualTo("http://127.0.0.1:5055");
        for (String function : functions) {
            Map<String, String> container = LambdaContainer.containerEnvironment(
                    FunctionSpec.of(template, function, file, shell, "eu-west-1"), dir, dir, shell, "eu-west-1");
            Map<String, String> expected = JSON.convertValue(sam.path(function), new TypeReference<TreeMap<String, String>>() { });
            expected.remove("AWS_SAM_LOCAL");             // SAM's marker
            expected.remove("AWS_ACCOUNT_ID");            // SAM's; Lambda sets none
            expected.remove("AWS_LAMBDA_LOG_GROUP_NAME"); // SAM drops the leading slash of /aws/lambda/NAME
            assertThat(container).as(function).containsAllEntriesOf(expected);
        }
    }

    private static JsonNode samLocalEnvironments(Path envVars, Map<String, String> shell, List<String> functions)
            throws Exception {
        List<String> command = new ArrayList<>(List.of(ProjectPaths.venvTool("python").toString(),
                ProjectPaths.root().resolve("functions/src/test/resources/sam-local-env.py").toString(), "template.yaml",
                envVars.toString()));
        command.addAll(functions);
        ProcessBuilder pb = new ProcessBuilder(command).directory(ProjectPaths.root().toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().clear();
        pb.environment().putAll(shell);
        pb.environment().putAll(Map.of("PATH", "/usr/bin:/bin", "SAM_CLI_TELEMETRY", "0"));
        Process p = pb.start();
        JsonNode environments = JSON.readTree(p.getInputStream());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        return environments;
    }

    /** JVMs running the runtime interface client from this repository's copy of the runtime. */
    private static List<ProcessHandle> runtimeInterfaceClients() {
        String runtime = ProjectPaths.root().resolve("functions/target/lambda-runtime").toString();
        return ProcessHandle.allProcesses().filter(p -> p.info().commandLine()
                .map(c -> c.contains(runtime) && c.contains("AWSLambda")).orElse(false)).toList();
    }

    private static String writeDocumentName() throws Exception {
        Path f = Files.createTempFile("env", ".json");
        Files.writeString(f, "{\"CommandResultFunction\": {\"REDEPLOY_DOCUMENT\": \"drift-remediator-redeploy\"}}");
        return f.toString();
    }
}
