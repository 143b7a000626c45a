package com.driftremediator.local;

import com.driftremediator.domain.Revision;
import com.driftremediator.testing.MotoServer;
import com.driftremediator.testing.ProjectPaths;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RedeployDocument from an S3 source: the pipeline's bundles ({@code git archive} of a commit, gzipped, and its
 * SHA-256) uploaded with the real AWS CLI to the moto server, fetched on the instance by the real AWS CLI with the
 * instance's role, streamed into the release while hashed. Tampered and hostile bundles never become a release, and
 * the previous one keeps serving.
 */
class S3BundleSourceIT {
    private static final Path TEMPLATE = ProjectPaths.root().resolve("template.yaml");
    private static final SsmDocument DOCUMENT = SsmDocument.fromTemplate(TEMPLATE, "RedeployDocument");
    private static final Path AWS = ProjectPaths.root().resolve(".venv/awscli/bin/aws");
    private static final String PREFIX = "s3://streamr-p2p-bundles/beta";

    private Path tmp;
    private Sandbox sandbox;
    private MotoServer moto;
    private LocalCommandRunner runner;
    private Revision v1;
    private Revision v2;

    @BeforeEach
    void bootAtTheOldCommitWithABucket() throws IOException {
        tmp = Files.createTempDirectory("s3-source-it-");
        sandbox = Sandbox.create(tmp.resolve("sandbox"), ProjectPaths.root().resolve("examples/streamr-app"));
        v1 = sandbox.repository().revision("v1");
        v2 = sandbox.repository().revision("v2");
        sandbox.provision(v1);
        moto = MotoServer.start();
        pipeline("s3", "mb", "s3://streamr-p2p-bundles");
        sandbox.attachRole(AWS, moto.endpoint());
        runner = new LocalCommandRunner(sandbox, DOCUMENT);
    }

    @AfterEach
    void stop() throws IOException {
        if (moto != null) moto.close();
        if (sandbox != null) sandbox.close();
        SampleRepository.clear(tmp);
    }

    @Test
    void theBundleThePipelineUploadedIsVerifiedAndDeployed() throws IOException {
        upload(v2, bundleOf(v2), sha256(bundleOf(v2)));

        LocalCommandRunner.Execution run = deploy(v2);

        assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();
        assertThat(run.summary().result()).isEqualTo("deployed");
        assertThat(sandbox.served()).isEqualTo(v2);
        assertThat(Files.readString(release(v2).resolve("REVISION")).strip()).isEqualTo(v2.sha());
        assertThat(sandbox.releases().resolve("repo.git")).as("no git on the instance for an S3 source").doesNotExist();
    }

    @Test
    void aTamperedBundleIsNotDeployed() throws IOException {
        Path tampered = bundle(List.of("app.py", "print('not what the pipeline built')"));
        upload(v2, tampered, sha256(bundleOf(v2)));

        assertRefused(deploy(v2), "does not match its SHA-256");
    }

    @Test
    void entriesWithDotDotOrAbsoluteNamesOrASymlinkOutAreNotDeployed() throws IOException {
        for (List<String> hostile : List.of(List.of("../escape.txt", "x"), List.of("/tmp/escape-" + UUID.randomUUID(), "x"),
                List.of("passwd", "->/etc/passwd"))) {
            Path bundle = bundle(hostile);
            upload(v2, bundle, sha256(bundle));

            LocalCommandRunner.Execution run = deploy(v2);

            assertRefused(run, hostile.get(1).startsWith("->") ? "symlink out of the release" : "entries outside the release");
        }
        assertThat(tmp.resolve("escape.txt")).doesNotExist();
    }

    @Test
    void aRevisionThePipelineNeverUploadedEndsExitFour() {
        assertRefused(deploy(v2), "no SHA-256 of revision " + v2.sha());
    }

    private void assertRefused(LocalCommandRunner.Execution run, String why) {
        assertThat(run.exitCode()).as(run.stdout()).isEqualTo(4);
        assertThat(run.summary().message()).contains(why);
        assertThat(sandbox.served()).isEqualTo(v1);
        assertThat(release(v2)).doesNotExist();
        if (!Files.isDirectory(release(v2).getParent())) return;
        try (var leftovers = Files.list(release(v2).getParent())) {
            assertThat(leftovers.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".tmp-"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private Path release(Revision revision) {
        return sandbox.releases().resolve("releases").resolve(revision.sha());
    }

    private LocalCommandRunner.Execution deploy(Revision revision) {
        Map<String, String> parameters = new HashMap<>(sandbox.redeployParameters(revision));
        parameters.put("RepositoryUrl", PREFIX);
        return runner.execute(UUID.randomUUID().toString(), DOCUMENT.resolve(parameters));
    }

    /** The pipeline's build step: the commit's tree as a gzipped tar (what `git archive` makes). */
    private Path bundleOf(Revision revision) throws IOException {
        Path out = tmp.resolve(revision.sha() + ".tar.gz");
        if (!Files.exists(out)) {
            run(List.of("git", "-C", sandbox.repository().gitDir().toString(), "archive", "--format=tar.gz", "-o",
                    out.toString(), revision.sha()), Map.of());
        }
        return out;
    }

    /** A hostile bundle: pairs of name and content ("->target" makes a symlink), built with Python's tarfile. */
    private Path bundle(List<String> entries) throws IOException {
        Path out = tmp.resolve("hostile-" + UUID.randomUUID() + ".tar.gz");
        StringBuilder py = new StringBuilder("import io, sys, tarfile\nt = tarfile.open(sys.argv[1], 'w:gz')\n");
        py.append("i = tarfile.TarInfo('app.py'); d = b'print(1)'; i.size = len(d); t.addfile(i, io.BytesIO(d))\n");
        for (int n = 0; n < entries.size(); n += 2) {
            String name = entries.get(n);
            String content = entries.get(n + 1);
            if (content.startsWith("->")) {
                py.append("i = tarfile.TarInfo(%s); i.type = tarfile.SYMTYPE; i.linkname = %s; t.addfile(i)\n"
                        .formatted(pyString(name), pyString(content.substring(2))));
            } else {
                py.append("i = tarfile.TarInfo(%s); d = %s.encode(); i.size = len(d); t.addfile(i, io.BytesIO(d))\n"
                        .formatted(pyString(name), pyString(content)));
            }
        }
        py.append("t.close()\n");
        Path script = tmp.resolve("bundle.py");
        Files.writeString(script, py);
        run(List.of("python3", script.toString(), out.toString()), Map.of());
        return out;
    }

    private static String pyString(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    /** The pipeline's upload step: the bundle and a sha256sum line, with the AWS CLI. */
    private void upload(Revision revision, Path bundle, String sha256) throws IOException {
        Path sum = tmp.resolve(revision.sha() + ".tar.gz.sha256");
        Files.writeString(sum, sha256 + "  " + revision.sha() + ".tar.gz\n");
        pipeline("s3", "cp", bundle.toString(), PREFIX + "/" + revision.sha() + ".tar.gz");
        pipeline("s3", "cp", sum.toString(), PREFIX + "/" + revision.sha() + ".tar.gz.sha256");
    }

    private String sha256(Path file) {
        return run(List.of("sha256sum", file.toString()), Map.of()).substring(0, 64);
    }

    private void pipeline(String... args) {
        List<String> command = new java.util.ArrayList<>(List.of(AWS.toString()));
        command.addAll(List.of(args));
        run(command, Map.of("AWS_ENDPOINT_URL", moto.endpoint().toString(), "AWS_ACCESS_KEY_ID", "testing",
                "AWS_SECRET_ACCESS_KEY", "testing", "AWS_DEFAULT_REGION", Sandbox.REGION));
    }

    private static String run(List<String> command, Map<String, String> env) {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        Processes.Result r = Processes.run(pb, Duration.ofMinutes(1));
        assertThat(r.exitCode()).as(String.join(" ", command) + ": " + r.stdout() + r.stderr()).isZero();
        return r.stdout();
    }
}
