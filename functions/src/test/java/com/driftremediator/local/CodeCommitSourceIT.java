package com.driftremediator.local;

import com.driftremediator.domain.Revision;
import com.driftremediator.testing.ProjectPaths;
import com.driftremediator.testing.SystemPackages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RedeployDocument from CodeCommit with the instance's role: the real AWS CLI's credential helper on the instance
 * signs each request (SigV4), and a stand-in of CodeCommit's git endpoint ({@link CodeCommitHost}: Apache httpd with
 * TLS on port 443 for git-codecommit.REGION.amazonaws.com, through /etc/hosts to loopback) checks the signature with
 * the role's secret key before git http-backend answers. The role's keys and the signatures must never appear in what
 * the run prints or in any file of the instance.
 */
class CodeCommitSourceIT {
    private static final Path TEMPLATE = ProjectPaths.root().resolve("template.yaml");
    private static final SsmDocument DOCUMENT = SsmDocument.fromTemplate(TEMPLATE, "RedeployDocument");
    private static final Path AWS = ProjectPaths.root().resolve(".venv/awscli/bin/aws");
    /** No AWS API is called (the helper only signs): any call would fail here, on loopback, at the discard port. */
    private static final URI NO_AWS = URI.create("http://127.0.0.1:9");
    private static final RoleCredentials ROLE = new RoleCredentials("ASIA" + random(16).toUpperCase(), random(40),
            "IQoJb3JpZ2luX2VjE" + random(60));
    private static final String REGION = "us-east-1";

    private Path tmp;
    private Sandbox sandbox;
    private CodeCommitHost codecommit;
    private LocalCommandRunner runner;
    private Revision v1;
    private Revision v2;

    @BeforeEach
    void bootAtTheOldCommitNextToCodeCommit() throws IOException {
        SystemPackages.require("apache2", GitHttpsHost.APACHE, "CodeCommit's stand-in (Apache httpd in front of git http-backend)");
        tmp = Files.createTempDirectory("codecommit-source-it-");
        // the web server's workers (www-data) read the repositories and run the endpoint's CGI
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        sandbox = Sandbox.create(tmp.resolve("sandbox"), ProjectPaths.root().resolve("examples/streamr-app"));
        v1 = sandbox.repository().revision("v1");
        v2 = sandbox.repository().revision("v2");
        sandbox.provision(v1);
        codecommit = CodeCommitHost.start(tmp.resolve("codecommit"), sandbox.repository().gitDir().getParent(), AWS, ROLE,
                REGION, Sandbox.REGION);
        sandbox.attachRole(AWS, NO_AWS, ROLE);
        runner = new LocalCommandRunner(sandbox, DOCUMENT);
    }

    @AfterEach
    void stop() throws IOException {
        if (codecommit != null) codecommit.close();
        if (sandbox != null) sandbox.close();
        SampleRepository.clear(tmp);
    }

    @Test
    void theHttpsUrlIsSignedWithTheRoleDeployedAndTheNextPushFetchedAgain() throws IOException {
        LocalCommandRunner.Execution run = deploy(CodeCommitHost.url(REGION, "streamr-p2p"), Map.of());

        assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();
        assertThat(run.summary().result()).isEqualTo("deployed");
        assertThat(sandbox.served()).isEqualTo(v2);
        assertThat(codecommit.accessLog()).as("asked, and the role's signature answered")
                .contains("401 - GET git-codecommit.us-east-1.amazonaws.com/v1/repos/streamr-p2p/info/refs")
                .contains("200 " + ROLE.accessKeyId() + " GET git-codecommit.us-east-1.amazonaws.com/v1/repos/streamr-p2p/info/refs");
        assertNowhere(run);

        // the next push: fetched into the same repo.git, signed again; it crashes at start and is rolled back
        Revision broken = sandbox.repository().revision("v3-broken");
        int fetchesBefore = uploadPacks();
        LocalCommandRunner.Execution next = deploy(CodeCommitHost.url(REGION, "streamr-p2p"), Map.of("Revision", broken.sha()));

        assertThat(next.exitCode()).as(next.stdout()).isEqualTo(6);
        assertThat(sandbox.served()).isEqualTo(v2);
        assertThat(uploadPacks()).isGreaterThan(fetchesBefore);
        assertNowhere(next);
    }

    @Test
    void gitRemoteCodeCommitsUrlWithARegionIsFetchedOverHttpsWithTheRole() throws IOException {
        LocalCommandRunner.Execution run = deploy("codecommit::us-east-1://streamr-p2p", Map.of());

        assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();
        assertThat(sandbox.served()).isEqualTo(v2);
        assertThat(codecommit.accessLog()).contains("200 " + ROLE.accessKeyId() + " GET git-codecommit.us-east-1.amazonaws.com/");
        assertThat(Files.readString(repoGit().resolve("config")))
                .contains("url = https://git-codecommit.us-east-1.amazonaws.com/v1/repos/streamr-p2p");
        assertNowhere(run);
    }

    @Test
    void withoutARegionTheRepositoryIsInTheRegionTheCommandWasSentIn() throws IOException {
        LocalCommandRunner.Execution run = deploy("codecommit://streamr-p2p", Map.of());

        assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();
        assertThat(sandbox.served()).isEqualTo(v2);
        assertThat(codecommit.accessLog()).contains("200 " + ROLE.accessKeyId() + " GET git-codecommit." + Sandbox.REGION
                + ".amazonaws.com/v1/repos/streamr-p2p/info/refs").doesNotContain(REGION);
        assertNowhere(run);
    }

    @Test
    void aRoleWhoseKeyCodeCommitDoesNotTakeEndsExitFourAndThePreviousReleaseServes() throws IOException {
        RoleCredentials other = new RoleCredentials(ROLE.accessKeyId(), random(40), ROLE.sessionToken());
        sandbox.attachRole(AWS, NO_AWS, other);

        LocalCommandRunner.Execution run = deploy(CodeCommitHost.url(REGION, "streamr-p2p"), Map.of());

        assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isEqualTo(4);
        assertThat(run.summary().message()).contains("cannot fetch the repository");
        assertThat(sandbox.served()).isEqualTo(v1);
        assertThat(codecommit.accessLog()).contains("401 " + ROLE.accessKeyId() + " GET").contains("signature does not match")
                .doesNotContain("200 ");
        SecretScan.assertNowhere(other.secretAccessKey(), run, sandbox.root());
    }

    @Test
    void aSourceSecretWithCodeCommitIsRefusedBeforeAnythingIsFetched() {
        LocalCommandRunner.Execution run = deploy("codecommit::us-east-1://streamr-p2p",
                Map.of("SourceSecret", "arn:aws:secretsmanager:us-east-1:123456789012:secret:streamr-p2p/deploy-token"));

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.summary().message()).contains("SourceSecret").contains("CodeCommit takes the instance's role");
        assertThat(codecommit.accessLog()).isEmpty();
        assertThat(sandbox.served()).isEqualTo(v1);
    }

    private LocalCommandRunner.Execution deploy(String url, Map<String, String> overrides) {
        Map<String, String> parameters = new HashMap<>(sandbox.redeployParameters(v2));
        parameters.put("RepositoryUrl", url);
        parameters.putAll(overrides);
        return runner.execute(UUID.randomUUID().toString(), DOCUMENT.resolve(parameters));
    }

    private int uploadPacks() {
        return (int) codecommit.accessLog().lines().filter(l -> l.startsWith("200 ") && l.contains("/git-upload-pack")).count();
    }

    private Path repoGit() {
        return Path.of(sandbox.appDirectory() + ".releases", "repo.git");
    }

    /** The role's keys and every password the endpoint took: in nothing printed, no file of the instance. */
    private void assertNowhere(LocalCommandRunner.Execution run) throws IOException {
        List<String> passwords = codecommit.passwordsTaken();
        assertThat(passwords).isNotEmpty();
        for (String secret : passwords) SecretScan.assertNowhere(secret, run, sandbox.root());
        SecretScan.assertNowhere(ROLE.secretAccessKey(), run, sandbox.root());
        SecretScan.assertNowhere(ROLE.sessionToken(), run, sandbox.root());
    }

    private static String random(int length) {
        StringBuilder s = new StringBuilder();
        while (s.length() < length) s.append(UUID.randomUUID().toString().replace("-", ""));
        return s.substring(0, length);
    }
}
