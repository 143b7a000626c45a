package com.driftremediator.cli;

import com.driftremediator.domain.Revision;
import com.driftremediator.local.CodeCommitHost;
import com.driftremediator.local.GitHttpsHost;
import com.driftremediator.local.SshGitHost;
import com.driftremediator.testing.MotoServer;
import com.driftremediator.testing.SystemPackages;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
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
    private LoopbackSlack slack;
    private final List<String> seen = new ArrayList<>();

    @AfterEach
    void stop() {
        if (emulator != null) emulator.close();
        if (slack != null) slack.close();
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
        slack = LoopbackSlack.start();
        emulator = Emulator.start(new Emulator.Config(state, MotoServer.freePort(), "streamr-p2p-beta", 1, null,
                slack.url(), null, false, source));
        String repositoryUrl = emulator.functionVariables("DriftCheckFunction").get("REPOSITORY_URL");
        assertThat(repositoryUrl).as("a private host on loopback, no credential in the URL").matches(switch (source) {
            case HTTPS -> "https://127\\.[0-9.]+:[0-9]+/git/[^@]*";
            case SSH -> "ssh://root@127\\.[0-9.]+:[0-9]+/[^@]*";
            default -> CodeCommitHost.url(Emulator.REGION, "streamr-p2p").replace(".", "\\.");
        });

        seen.add(DriftChecks.driftCheck(emulator, "events/cloudformation-update-complete.json").toString());
        emulator.awaitQuiet(Duration.ofMinutes(3));

        Emulator.Instance instance = emulator.instances().get(0);
        assertThat(served(instance)).as(() -> String.join("\n", commandOutputs())).isEqualTo(SampleEnvironment.DESIRED.sha());
        List<JsonNode> reports = reports();
        assertThat(reports).last().satisfies(r -> assertThat(r.path("outcome").asText()).isEqualTo("REMEDIATED"));
        assertThat(slack.posts()).as("Slack heard of it").anySatisfy(p -> assertThat(p).contains(SampleEnvironment.DESIRED.shortSha()));

        // the next push, fetched from the same host with the secret again: it crashes at start and is rolled back
        emulator.setStackRevision(SampleEnvironment.BAD_RELEASE);
        seen.add(DriftChecks.driftCheck(emulator, "events/cloudformation-update-complete.json").toString());
        emulator.awaitQuiet(Duration.ofMinutes(3));
        assertThat(served(instance)).isEqualTo(SampleEnvironment.DESIRED.sha());
        assertThat(reports()).last().satisfies(r -> assertThat(r.path("outcome").asText()).isEqualTo("ROLLED_BACK"));

        List<String> commands = commandOutputs();
        assertThat(commands).as("the redeploys and observations were run").hasSizeGreaterThan(4);
        seen.addAll(commands);
        seen.addAll(slack.posts());
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

    /** Each report RemediationTopic published; its text is kept for the search. */
    private List<JsonNode> reports() throws IOException {
        List<JsonNode> reports = AwsDemo.reports(emulator);
        reports.forEach(r -> seen.add(r.toString()));
        return reports;
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

    private static String served(Emulator.Instance instance) {
        Revision r = instance.sandbox().served();
        return r == null ? "unreachable" : r.sha();
    }
}
