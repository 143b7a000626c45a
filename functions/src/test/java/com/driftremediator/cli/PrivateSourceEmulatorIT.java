package com.driftremediator.cli;

import com.driftremediator.domain.Revision;
import com.driftremediator.local.CodeCommitHost;
import com.driftremediator.local.GitHttpsHost;
import com.driftremediator.local.SshGitHost;
import com.driftremediator.testing.MotoServer;
import com.driftremediator.testing.SystemPackages;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.ssm.SsmClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The emulated environment switched to a private source (`emulator up --source https|ssh|codecommit`): the loop
 * through the handlers fetches from a real private host with the secret the instances read from Secrets Manager, or
 * from CodeCommit's stand-in with the role's signatures, and neither secret nor signature is in what the loop produced: the functions' answers and log, every command's output, the reports
 * on the topic, the Slack posts, and every file under the emulator's state, the instances' trees included.
 */
class PrivateSourceEmulatorIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path state;

    private Emulator emulator;
    private HttpServer slack;
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final List<String> slackPosts = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        if (emulator != null) emulator.close();
        if (slack != null) slack.stop(0);
    }

    @ParameterizedTest
    @EnumSource(value = Emulator.Source.class, names = {"HTTPS", "SSH", "CODECOMMIT"})
    void theStaleInstanceIsFetchedFromThePrivateHostAndTheSecretIsInNothingTheLoopLeft(Emulator.Source source)
            throws Exception {
        if (source != Emulator.Source.SSH) {
            SystemPackages.require("apache2", GitHttpsHost.APACHE, "a private git host (Apache httpd in front of git http-backend)");
        } else {
            SystemPackages.require("openssh-server", SshGitHost.SSHD, "a private git host over SSH (OpenSSH's sshd)");
        }
        startSlack();
        emulator = Emulator.start(new Emulator.Config(state, MotoServer.freePort(), "streamr-p2p-beta", 1, null,
                "http://127.0.0.1:" + slack.getAddress().getPort() + "/hook", null, false, source));
        String repositoryUrl = emulator.functionVariables("DriftCheckFunction").get("REPOSITORY_URL");
        assertThat(repositoryUrl).as("a private host on loopback, no credential in the URL").matches(switch (source) {
            case HTTPS -> "https://127\\.[0-9.]+:[0-9]+/git/[^@]*";
            case SSH -> "ssh://root@127\\.[0-9.]+:[0-9]+/[^@]*";
            default -> CodeCommitHost.url(Emulator.REGION, "streamr-p2p").replace(".", "\\.");
        });

        seen.add(driftCheck("events/cloudformation-update-complete.json").toString());
        emulator.awaitQuiet(Duration.ofMinutes(3));

        Emulator.Instance instance = emulator.instances().get(0);
        assertThat(served(instance)).as(() -> String.join("\n", commandOutputs())).isEqualTo(SampleEnvironment.DESIRED.sha());
        List<JsonNode> reports = reports();
        assertThat(reports).last().satisfies(r -> assertThat(r.path("outcome").asText()).isEqualTo("REMEDIATED"));
        assertThat(slackPosts).as("Slack heard of it").anySatisfy(p -> assertThat(p).contains(SampleEnvironment.DESIRED.shortSha()));

        // the next push, fetched from the same host with the secret again: it crashes at start and is rolled back
        emulator.setStackRevision(SampleEnvironment.BAD_RELEASE);
        seen.add(driftCheck("events/cloudformation-update-complete.json").toString());
        emulator.awaitQuiet(Duration.ofMinutes(3));
        assertThat(served(instance)).isEqualTo(SampleEnvironment.DESIRED.sha());
        assertThat(reports()).last().satisfies(r -> assertThat(r.path("outcome").asText()).isEqualTo("ROLLED_BACK"));

        List<String> commands = commandOutputs();
        assertThat(commands).as("the redeploys and observations were run").hasSizeGreaterThan(4);
        seen.addAll(commands);
        seen.addAll(slackPosts);
        List<String> secrets = secrets(source);
        assertThat(secrets).isNotEmpty();
        for (String secret : secrets) {
            for (String text : seen) assertThat(text).doesNotContain(secret);
            try (Stream<Path> files = Files.walk(state)) {
                for (Path f : files.filter(Files::isRegularFile).filter(f -> !f.equals(signaturesTaken())).toList()) {
                    assertThat(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1)).as(f.toString())
                            .doesNotContain(secret);
                }
            }
        }
    }

    /** Where CodeCommit's stand-in keeps the signatures it took: the one file allowed to hold them. */
    private Path signaturesTaken() {
        return state.resolve("source/codecommit/passwords.seen");
    }

    /** The private source's secret from Secrets Manager, or each signature (git's password) CodeCommit took. */
    private List<String> secrets(Emulator.Source source) throws IOException {
        if (source == Emulator.Source.CODECOMMIT) return Files.readAllLines(signaturesTaken());
        try (SecretsManagerClient secrets = emulator.clients().build(SecretsManagerClient.builder())) {
            return List.of(secretMark(secrets.getSecretValue(r -> r.secretId(EmulatedSource.SECRET_NAME)).secretString()));
        }
    }

    /**
     * The token itself; of a private key, its base64 body after the first line (which every OpenSSH key of the
     * same type shares).
     */
    private static String secretMark(String secret) {
        if (!secret.startsWith("-----BEGIN")) return secret;
        List<String> body = secret.lines().filter(l -> !l.startsWith("-----")).toList();
        return String.join("\n", body.subList(1, body.size()));
    }

    private JsonNode driftCheck(String event) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = InvokeCommand.invoke("DriftCheckFunction", Files.readAllBytes(Project.root().resolve(event)),
                emulator.envVars(), null, new PrintStream(out, true, StandardCharsets.UTF_8), emulator.awsEnvironment());
        assertThat(status).as(out.toString(StandardCharsets.UTF_8)).isZero();
        return JSON.readTree(out.toString(StandardCharsets.UTF_8));
    }

    /** Each report on RemediationTopic's queue; its text is kept for the search. */
    private List<JsonNode> reports() throws IOException {
        List<JsonNode> out = new ArrayList<>();
        try (SqsClient sqs = emulator.clients().build(SqsClient.builder())) {
            String queue = emulator.publicUrl(emulator.environment().reportQueueUrl());
            while (true) {
                var messages = sqs.receiveMessage(r -> r.queueUrl(queue).maxNumberOfMessages(10).waitTimeSeconds(1)).messages();
                if (messages.isEmpty()) return out;
                for (var m : messages) {
                    seen.add(m.body());
                    out.add(JSON.readTree(JSON.readTree(m.body()).path("Message").asText()));
                }
            }
        }
    }

    /** What Run Command keeps of every command: its parameters and each invocation's output. */
    private List<String> commandOutputs() {
        List<String> out = new ArrayList<>();
        try (SsmClient ssm = emulator.clients().build(SsmClient.builder())) {
            ssm.listCommands().commands().forEach(c -> {
                out.add(c.toString() + c.parameters());
                ssm.listCommandInvocations(r -> r.commandId(c.commandId()).details(true)).commandInvocations()
                        .forEach(i -> {
                            out.add(i.toString());
                            var full = ssm.getCommandInvocation(r -> r.commandId(c.commandId()).instanceId(i.instanceId()));
                            out.add(full.standardOutputContent() + full.standardErrorContent());
                        });
            });
        }
        return out;
    }

    private void startSlack() throws IOException {
        slack = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
        slack.createContext("/hook", exchange -> {
            slackPosts.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] ok = "ok".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, ok.length);
            exchange.getResponseBody().write(ok);
            exchange.close();
        });
        slack.start();
    }

    private static String served(Emulator.Instance instance) {
        Revision r = instance.sandbox().served();
        return r == null ? "unreachable" : r.sha();
    }
}
