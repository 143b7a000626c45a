package com.driftremediator.local;

import com.driftremediator.domain.Revision;
import com.driftremediator.testing.SystemPackages;
import com.driftremediator.testing.MotoServer;
import com.driftremediator.testing.ProjectPaths;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RedeployDocument against a private repository over HTTPS: a real web server (Apache httpd, TLS, basic auth) in
 * front of git http-backend, the token in Secrets Manager (the moto server), read on the instance by the real AWS
 * CLI with the instance's role. The token must never appear in anything the run leaves: its stdout and stderr, and
 * every file under the instance's tree.
 */
class HttpsTokenSourceIT {
    private static final Path TEMPLATE = ProjectPaths.root().resolve("template.yaml");
    private static final SsmDocument DOCUMENT = SsmDocument.fromTemplate(TEMPLATE, "RedeployDocument");
    private static final String TOKEN = "ghs_" + UUID.randomUUID().toString().replace("-", "");

    private Path tmp;
    private Sandbox sandbox;
    private GitHttpsHost git;
    private MotoServer moto;
    private LocalCommandRunner runner;
    private String secretArn;
    private Revision v1;
    private Revision v2;

    @BeforeEach
    void bootAtTheOldCommitNextToAPrivateHost() throws IOException {
        SystemPackages.require("apache2", GitHttpsHost.APACHE, "a private git host (Apache httpd in front of git http-backend)");
        tmp = Files.createTempDirectory("https-source-it-");
        // the web server's workers (www-data) read the repositories and the password file
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        sandbox = Sandbox.create(tmp.resolve("sandbox"), ProjectPaths.root().resolve("examples/streamr-app"));
        v1 = sandbox.repository().revision("v1");
        v2 = sandbox.repository().revision("v2");
        sandbox.provision(v1);
        git = GitHttpsHost.start(tmp.resolve("httpd"), "127.0.0.1", sandbox.repository().gitDir().getParent(), "x-access-token", TOKEN);
        moto = MotoServer.start();
        try (SecretsManagerClient secrets = moto.client(SecretsManagerClient.builder())) {
            secretArn = secrets.createSecret(r -> r.name("streamr-p2p/deploy-token").secretString(TOKEN)).arn();
        }
        sandbox.attachRole(ProjectPaths.root().resolve(".venv/awscli/bin/aws"), moto.endpoint());
        runner = new LocalCommandRunner(sandbox, DOCUMENT);
    }

    @AfterEach
    void stop() throws IOException {
        if (git != null) git.close();
        if (moto != null) moto.close();
        if (sandbox != null) sandbox.close();
        SampleRepository.clear(tmp);
    }

    @Test
    void theTokenFromSecretsManagerFetchesThePrivateRepositoryAndIsWrittenNowhere() throws IOException {
        LocalCommandRunner.Execution run = deploy(Map.of("SourceSecret", secretArn));

        assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();
        assertThat(run.summary().result()).isEqualTo("deployed");
        assertThat(sandbox.served()).isEqualTo(v2);
        assertThat(git.accessLog()).as("the host asked, and the token answered").contains("x-access-token \"GET /git/")
                .contains("\" 401");
        assertNowhere(run);

        // the next push: fetched into the same repo.git with the token again; it crashes at start and is rolled back
        Revision broken = sandbox.repository().revision("v3-broken");
        int fetchesBefore = git.accessLog().split("git-upload-pack HTTP/1.1\" 200").length;
        LocalCommandRunner.Execution next = deploy(Map.of("Revision", broken.sha(), "SourceSecret", secretArn));

        assertThat(next.exitCode()).as(next.stdout()).isEqualTo(6);
        assertThat(sandbox.served()).isEqualTo(v2);
        assertThat(git.accessLog().split("git-upload-pack HTTP/1.1\" 200").length).isGreaterThan(fetchesBefore);
        assertNowhere(next);
    }

    @Test
    void withoutTheTokenThePrivateHostRefusesAndNothingChanges() throws IOException {
        LocalCommandRunner.Execution run = deploy(Map.of());

        assertThat(run.exitCode()).isEqualTo(4);
        assertThat(run.summary().message()).contains("cannot fetch the repository");
        assertThat(sandbox.served()).isEqualTo(v1);
    }

    @Test
    void aRevokedTokenEndsExitFourThePreviousReleaseServesAndTheTokenIsNotPrinted() throws IOException {
        try (SecretsManagerClient secrets = moto.client(SecretsManagerClient.builder())) {
            secrets.putSecretValue(r -> r.secretId(secretArn).secretString(TOKEN + "-revoked"));
        }
        LocalCommandRunner.Execution run = deploy(Map.of("SourceSecret", secretArn));

        assertThat(run.exitCode()).isEqualTo(4);
        assertThat(run.summary().result()).isEqualTo("failed");
        assertThat(sandbox.served()).isEqualTo(v1);
        assertThat(run.stdout() + run.stderr()).doesNotContain(TOKEN);
        assertNowhere(run);
    }

    @Test
    void aSecretTheRoleCannotReadEndsExitFourWithItsNameOnly() throws IOException {
        LocalCommandRunner.Execution run = deploy(Map.of("SourceSecret", secretArn.replace("deploy-token", "no-such-secret")));

        assertThat(run.exitCode()).isEqualTo(4);
        assertThat(run.summary().message()).contains("cannot read secret").contains("no-such-secret");
        assertThat(sandbox.served()).isEqualTo(v1);
    }

    @Test
    void aTokenInTheUrlIsRefusedBeforeAnythingRunsAndNeverPrinted() throws IOException {
        String withToken = git.url("streamr-p2p.git").replace("https://", "https://x-access-token:" + TOKEN + "@");
        // past the document's pattern, as an agent that did not check it would pass it
        Map<String, String> parameters = new HashMap<>(DOCUMENT.resolve(sandbox.redeployParameters(v2)));
        parameters.put("RepositoryUrl", withToken);

        LocalCommandRunner.Execution run = runner.execute(UUID.randomUUID().toString(), parameters);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.summary().message()).contains("parameter RepositoryUrl is invalid");
        assertThat(git.accessLog()).isEmpty();
        assertNowhere(run);
    }

    private LocalCommandRunner.Execution deploy(Map<String, String> overrides) {
        Map<String, String> parameters = new HashMap<>(sandbox.redeployParameters(v2));
        parameters.put("RepositoryUrl", git.url("streamr-p2p.git"));
        parameters.putAll(overrides);
        return runner.execute(UUID.randomUUID().toString(), DOCUMENT.resolve(parameters));
    }

    private void assertNowhere(LocalCommandRunner.Execution run) throws IOException {
        SecretScan.assertNowhere(TOKEN, run, sandbox.workdir());
    }
}
