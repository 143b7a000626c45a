package com.driftremediator.template;

import com.driftremediator.cli.CliProcess;
import com.driftremediator.testing.MotoServer;
import com.driftremediator.testing.ProjectPaths;
import com.driftremediator.testing.SamCli;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * template.yaml as users deploy it: linted by cfn-lint, built by the real SAM CLI (one package per function,
 * functions/Makefile), and every built package's handler run against the emulator: the packages are shrunk to
 * what each handler reaches, so a class the shrinking lost shows up here, not on Lambda.
 */
class TemplateIT {
    static final Path ROOT = ProjectPaths.root();
    static final Path BUILD = SamCli.BUILD;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern EXPORT = Pattern.compile("^export (\\w+)='([^']*)'$", Pattern.MULTILINE);
    private static SamCli.Result samBuild;

    @BeforeAll
    static void samBuild() {
        samBuild = SamCli.build();
    }

    @Test
    void cfnLintFindsNothing() {
        SamCli.Result r = SamCli.run(List.of(ProjectPaths.venvTool("cfn-lint").toString(), "template.yaml"), 180);
        assertThat(r.exit()).as(r.output()).isZero();
    }

    @Test
    void samBuildBuildsEveryFunctionIntoItsOwnSmallPackage() throws Exception {
        assertThat(samBuild.exit()).as(samBuild.output()).isZero();

        String template = Files.readString(ROOT.resolve("template.yaml"));
        Matcher m = Pattern.compile("(?m)^  (\\w+Function):\\n    Type: AWS::Serverless::Function[\\s\\S]*?Handler: (\\S+)")
                .matcher(template);
        int functions = 0;
        while (m.find()) {
            functions++;
            String className = m.group(2).replaceAll("::.*", "").replace('.', '/') + ".class";
            Path built = BUILD.resolve(m.group(1));
            assertThat(built.resolve(className)).as(m.group(1) + " handler " + m.group(2)).exists();
            try (Stream<Path> libs = Files.list(built.resolve("lib"))) {
                assertThat(libs.map(p -> p.getFileName().toString()))
                        .as("no Netty or Apache HTTP client in " + m.group(1))
                        .noneMatch(n -> n.contains("netty") || n.contains("apache-client") || n.contains("httpclient"));
            }
            assertThat(built.resolve("com/driftremediator/cli")).as("the CLI stays out of " + m.group(1)).doesNotExist();
        }
        assertThat(functions).isEqualTo(5);
        try (Stream<Path> libs = Files.list(BUILD.resolve("DriftCheckFunction/lib"))) {
            assertThat(libs.map(p -> p.getFileName().toString())).as("the drift check calls no EC2 API")
                    .noneMatch(n -> n.startsWith("ec2-"));
        }
        assertThat(size(BUILD.resolve("DriftCheckFunction"))).as("DriftCheckFunction's package, bytes")
                .isLessThan(12L * 1024 * 1024);
    }

    @Test
    void everyBuiltPackageRunsItsHandlerAgainstTheEmulator(@TempDir Path state) throws Exception {
        assertThat(samBuild.exit()).as(samBuild.output()).isZero();
        Map<String, String> env = new HashMap<>(Map.of("DRIFT_REMEDIATOR_STATE", state.toString()));
        List<String> slackPosts = new java.util.concurrent.CopyOnWriteArrayList<>();
        HttpServer slack = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        slack.createContext("/hook", exchange -> {
            slackPosts.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(200, 2);
            exchange.getResponseBody().write("ok".getBytes(StandardCharsets.UTF_8));
            exchange.close();
        });
        slack.start();
        try {
            CliProcess up = CliProcess.run(env, "emulator", "up", "--port", Integer.toString(MotoServer.freePort()), "--instances", "2",
                    "--slack-webhook-url", "http://127.0.0.1:" + slack.getAddress().getPort() + "/hook");
            assertThat(up.exitCode()).as(up.stderr()).isZero();
            Matcher m = EXPORT.matcher(up.stdout());
            while (m.find()) env.put(m.group(1), m.group(2));

            JsonNode check = invokePackage(env, "DriftCheckFunction", "events/cloudformation-update-complete.json");
            assertThat(check.path("commandId").asText()).isNotBlank();
            assertThat(check.path("targets")).hasSize(2)
                    .allSatisfy(t -> assertThat(t.path("decision").path("action").asText()).isEqualTo("REDEPLOY"));
            assertThat(invokePackage(env, "DriftCheckFunction", "events/schedule.json").path("reconciled").isArray()).isTrue();
            assertThat(invokePackage(env, "CommandResultFunction", "events/ssm-command-invocation-in-progress.json")
                    .path("ignored").asText()).isEqualTo("invocation not finished: InProgress");
            // the redeploy's result (moto ran nothing, so no summary: FAILED), diagnosed through EC2 and SSM
            Path result = state.resolve("result-event.json");
            Files.writeString(result, Files.readString(ROOT.resolve("events/ssm-command-invocation-success.json"))
                    .replace("e8d3c0e4-71f7-4491-898f-c9b35bee5f3b", check.path("commandId").asText())
                    .replace("i-0abc1234def567890", check.path("targets").get(0).path("instanceId").asText()));
            JsonNode recorded = invokePackage(env, "CommandResultFunction", result.toString());
            assertThat(recorded.path("status").asText()).isEqualTo("Success");
            assertThat(invokePackage(env, "GitHubWebhookFunction", "events/github-push.json").path("statusCode").asInt())
                    .isEqualTo(202);
            assertThat(invokePackage(env, "DiagnoseFunction", "events/diagnose-stack.json").toString())
                    .contains("\"verdict\"");
            // a REMEDIATED report is filtered by the default policy in prod; a rollback is posted
            assertThat(invokePackage(env, "SlackNotifierFunction", "events/sns-remediation-succeeded.json")
                    .path("results").get(0).path("result").asText()).isEqualTo("FILTERED");
            invokePackage(env, "SlackNotifierFunction", "events/sns-remediation-rolled-back.json");
            // the emulator posts its own (beta) environment's reports too: the fixtures' are prod's
            assertThat(slackPosts).filteredOn(post -> post.contains("streamr-p2p-prod")).singleElement().asString()
                    .contains("\"blocks\"");
        } finally {
            slack.stop(0);
            CliProcess.run(Map.of("DRIFT_REMEDIATOR_STATE", state.toString()), "emulator", "down");
        }
    }

    /**
     * SnapStart snapshots published versions only: the functions that use it must be reached through their alias,
     * by every event source and by the asynchronous retries, or events would run $LATEST without a snapshot.
     */
    @Test
    void snapStartFunctionsAreInvokedThroughTheirAliasOnly() throws Exception {
        JsonNode resources = transformed().path("Resources");

        for (String function : List.of("DriftCheckFunction", "CommandResultFunction")) {
            JsonNode properties = resources.path(function).path("Properties");
            assertThat(properties.path("SnapStart").path("ApplyOn").asText()).as(function).isEqualTo("PublishedVersions");
            String alias = function + "Aliaslive";
            assertThat(resources.path(alias).path("Type").asText()).isEqualTo("AWS::Lambda::Alias");
            int sources = 0;
            for (Map.Entry<String, JsonNode> r : (Iterable<Map.Entry<String, JsonNode>>) resources::fields) {
                String type = r.getValue().path("Type").asText();
                JsonNode p = r.getValue().path("Properties");
                if (type.equals("AWS::Events::Rule")) {
                    for (JsonNode target : p.path("Targets")) {
                        assertThat(target.path("Arn").toString()).as(r.getKey())
                                .doesNotContain("\"" + function + "\"");
                        if (target.path("Arn").path("Ref").asText().equals(alias)) sources++;
                    }
                } else if (type.equals("AWS::Lambda::Permission") || type.equals("AWS::Lambda::EventInvokeConfig")) {
                    String name = p.path("FunctionName").path("Ref").asText();
                    if (type.equals("AWS::Lambda::Permission")) assertThat(name).as(r.getKey()).isNotEqualTo(function);
                    else if (name.equals(function)) assertThat(p.path("Qualifier").asText()).as(r.getKey()).isEqualTo("live");
                }
            }
            assertThat(sources).as("event rules targeting " + alias).isPositive();
        }
    }

    /** Declared for `sam local invoke --env-vars` only: CloudFormation drops an AWS::NoValue variable. */
    @Test
    void noFunctionGetsAnEndpointOnAws() throws Exception {
        for (Map.Entry<String, JsonNode> r : (Iterable<Map.Entry<String, JsonNode>>) transformed().path("Resources")::fields) {
            if (!r.getValue().path("Type").asText().equals("AWS::Lambda::Function")) continue;
            assertThat(r.getValue().path("Properties").path("Environment").path("Variables").path("AWS_ENDPOINT_URL"))
                    .as(r.getKey()).isEqualTo(JSON.readTree("{\"Ref\": \"AWS::NoValue\"}"));
        }
    }

    /** template.yaml as CloudFormation receives it (SAM's translator). */
    private static JsonNode transformed() throws IOException, InterruptedException {
        Path out = Files.createTempFile("template", ".json");
        ProcessBuilder pb = new ProcessBuilder(ProjectPaths.venvTool("python").toString(),
                ROOT.resolve("functions/src/test/resources/sam-transform.py").toString(), "template.yaml")
                .directory(ROOT.toFile()).redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("AWS_DEFAULT_REGION", "eu-west-1");
        assertThat(pb.start().waitFor()).isZero();
        return JSON.readTree(out.toFile());
    }

    private static JsonNode invokePackage(Map<String, String> env, String function, String event) throws IOException {
        CliProcess r = CliProcess.run(env, "invoke", function, "-e", event, "--package", BUILD.resolve(function).toString());
        assertThat(r.exitCode()).as(function + ": " + r.stdout() + r.stderr()).isZero();
        assertThat(r.stderr()).as("run behind the Runtime Interface Emulator").contains("invoke: aws-lambda-rie (pid ");
        return JSON.readTree(r.stdout());
    }

    private static long size(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
