package com.driftremediator.local;

import com.driftremediator.cli.Template;
import com.driftremediator.domain.Revision;
import com.driftremediator.testing.MotoServer;
import com.driftremediator.testing.ProjectPaths;
import com.driftremediator.testing.SystemPackages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RedeployDocument against a private repository over SSH: a real OpenSSH server with its own host key, which lets in
 * only the deploy key held in Secrets Manager (the moto server), read on the instance by the real AWS CLI with the
 * instance's role. Only the pinned host keys are accepted; the key never appears in what the run leaves, and no
 * ssh-agent outlives the run.
 */
class SshDeployKeySourceIT {
    private static final Path TEMPLATE = ProjectPaths.root().resolve("template.yaml");
    private static final SsmDocument DOCUMENT = SsmDocument.fromTemplate(TEMPLATE, "RedeployDocument");

    private Path tmp;
    private Sandbox sandbox;
    private SshGitHost ssh;
    private MotoServer moto;
    private LocalCommandRunner runner;
    private String secretArn;
    private String deployKey;
    private Revision v1;
    private Revision v2;

    @BeforeEach
    void bootAtTheOldCommitNextToAPrivateHost() throws IOException {
        SystemPackages.require("openssh-server", SshGitHost.SSHD, "a private git host over SSH (OpenSSH's sshd)");
        tmp = Files.createTempDirectory("ssh-source-it-");
        sandbox = Sandbox.create(tmp.resolve("sandbox"), ProjectPaths.root().resolve("examples/streamr-app"));
        v1 = sandbox.repository().revision("v1");
        v2 = sandbox.repository().revision("v2");
        sandbox.provision(v1);
        String deployPublic = SshGitHost.keygen(tmp.resolve("deploy"), "drift-remediator deploy key");
        deployKey = Files.readString(tmp.resolve("deploy"));
        Files.delete(tmp.resolve("deploy")); // from now on only in Secrets Manager
        ssh = SshGitHost.start(tmp.resolve("sshd"), "127.0.0.1", deployPublic);
        moto = MotoServer.start();
        try (SecretsManagerClient secrets = moto.client(SecretsManagerClient.builder())) {
            secretArn = secrets.createSecret(r -> r.name("streamr-p2p/deploy-key").secretString(deployKey)).arn();
        }
        sandbox.attachRole(ProjectPaths.root().resolve(".venv/awscli/bin/aws"), moto.endpoint());
        runner = new LocalCommandRunner(sandbox, DOCUMENT);
    }

    @AfterEach
    void stop() throws IOException {
        if (ssh != null) ssh.close();
        if (moto != null) moto.close();
        if (sandbox != null) sandbox.close();
        SampleRepository.clear(tmp);
    }

    @Test
    void theDeployKeyFromSecretsManagerFetchesOverSshAndIsWrittenNowhere() throws Exception {
        long agentsBefore = agents();

        LocalCommandRunner.Execution run = deploy(Map.of("SourceSecret", secretArn, "SshKnownHosts", ssh.knownHostsLine()));

        assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();
        assertThat(run.summary().result()).isEqualTo("deployed");
        assertThat(sandbox.served()).isEqualTo(v2);
        assertThat(ssh.log()).contains("Accepted publickey for root");
        SecretScan.assertNowhere(secretBody(), run, sandbox.workdir());
        assertThat(agents()).as("the run's ssh-agent ended with it").isEqualTo(agentsBefore);

        // the next push: fetched into the same repo.git with the key again; it crashes at start and is rolled back
        Revision broken = sandbox.repository().revision("v3-broken");
        LocalCommandRunner.Execution next = deploy(Map.of("Revision", broken.sha(), "SourceSecret", secretArn,
                "SshKnownHosts", ssh.knownHostsLine()));

        assertThat(next.exitCode()).as(next.stdout()).isEqualTo(6);
        assertThat(sandbox.served()).isEqualTo(v2);
        assertThat(ssh.log().split("Accepted publickey for root").length - 1).isEqualTo(2);
        SecretScan.assertNowhere(secretBody(), next, sandbox.workdir());
        assertThat(agents()).isEqualTo(agentsBefore);
    }

    @Test
    void aHostKeyThatIsNotPinnedIsRefusedAndNothingChanges() throws Exception {
        // the template's default pins GitHub's published keys only: this host is unknown
        String githubOnly = Template.read(TEMPLATE).parameterDefaults().get("SshKnownHosts");
        assertThat(githubOnly).startsWith("github.com ssh-ed25519 ");
        LocalCommandRunner.Execution run = deploy(Map.of("SourceSecret", secretArn, "SshKnownHosts", githubOnly));

        assertThat(run.exitCode()).isEqualTo(4);
        assertThat(run.stdout()).contains("Host key verification failed");
        assertThat(ssh.log()).doesNotContain("Accepted publickey");
        assertThat(sandbox.served()).isEqualTo(v1);
        SecretScan.assertNowhere(secretBody(), run, sandbox.workdir());
    }

    @Test
    void aKeyTheHostDoesNotAuthorizeEndsExitFourAndThePreviousReleaseServes() throws Exception {
        SshGitHost.keygen(tmp.resolve("other"), "not authorized");
        String other = Files.readString(tmp.resolve("other"));
        try (SecretsManagerClient secrets = moto.client(SecretsManagerClient.builder())) {
            secrets.putSecretValue(r -> r.secretId(secretArn).secretString(other));
        }

        LocalCommandRunner.Execution run = deploy(Map.of("SourceSecret", secretArn, "SshKnownHosts", ssh.knownHostsLine()));

        assertThat(run.exitCode()).isEqualTo(4);
        assertThat(run.summary().message()).contains("cannot fetch the repository");
        assertThat(sandbox.served()).isEqualTo(v1);
    }

    @Test
    void aSecretThatIsNoKeyEndsExitFourWithoutPrintingIt() throws Exception {
        String notAKey = "not-a-key-" + UUID.randomUUID();
        try (SecretsManagerClient secrets = moto.client(SecretsManagerClient.builder())) {
            secrets.putSecretValue(r -> r.secretId(secretArn).secretString(notAKey));
        }

        LocalCommandRunner.Execution run = deploy(Map.of("SourceSecret", secretArn, "SshKnownHosts", ssh.knownHostsLine()));

        assertThat(run.exitCode()).isEqualTo(4);
        assertThat(run.summary().message()).contains("is not an SSH private key");
        SecretScan.assertNowhere(notAKey, run, sandbox.workdir());
    }

    private LocalCommandRunner.Execution deploy(Map<String, String> overrides) {
        Map<String, String> parameters = new HashMap<>(sandbox.redeployParameters(v2));
        parameters.put("RepositoryUrl", ssh.url(sandbox.repository().gitDir()));
        parameters.putAll(overrides);
        return runner.execute(UUID.randomUUID().toString(), DOCUMENT.resolve(parameters));
    }

    /** The key's base64 body (one line of it): what a leak would show, whatever the framing around it. */
    private String secretBody() {
        return deployKey.lines().filter(l -> !l.startsWith("-----")).findFirst().orElseThrow();
    }

    private static long agents() {
        return ProcessHandle.allProcesses().filter(p -> p.info().command().map(c -> c.endsWith("ssh-agent")).orElse(false)).count();
    }
}
