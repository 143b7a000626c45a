package com.driftremediator.local;

import com.driftremediator.domain.Revision;
import com.driftremediator.testing.MotoServer;
import com.driftremediator.testing.ProjectPaths;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
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
 * RedeployDocument from an S3 source: the pipeline's bundles ({@link Bundles}: {@code git archive} of a commit,
 * gzipped, and its SHA-256) uploaded with the real AWS CLI to the moto server, fetched on the instance by the real AWS CLI with the
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
    private Bundles pipeline;
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
        pipeline = new Bundles(AWS, moto.endpoint(), Sandbox.REGION);
        pipeline.createBucket(PREFIX);
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
        pipeline.publish(PREFIX, sandbox.repository(), v2, tmp);

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
        pipeline.upload(PREFIX, v2, tampered, Bundles.sha256(Bundles.build(sandbox.repository(), v2, tmp)));

        assertRefused(deploy(v2), "does not match its SHA-256");
    }

    @Test
    void entriesWithDotDotOrAbsoluteNamesOrASymlinkOutAreNotDeployed() throws IOException {
        for (List<String> hostile : List.of(List.of("../escape.txt", "x"), List.of("/tmp/escape-" + UUID.randomUUID(), "x"),
                List.of("passwd", "->/etc/passwd"))) {
            Path bundle = bundle(hostile);
            pipeline.upload(PREFIX, v2, bundle, Bundles.sha256(bundle));

            LocalCommandRunner.Execution run = deploy(v2);

            assertRefused(run, hostile.get(1).startsWith("->") ? "symlink out of the release" : "entries outside the release");
        }
        assertThat(tmp.resolve("escape.txt")).doesNotExist();
    }

    /**
     * The pipeline's bundle is bigger than the disk: MinFreeMegabytes was met, then the disk filled while tar wrote
     * the release. Exit 10, the partial release removed (the space is given back), v1 still serves. The base
     * directory is a small tmpfs (mount needs root) with room for the first boot's release, which the redeploy moves
     * into it, and a few MB more.
     */
    @Test
    void aBundleLargerThanTheFreeSpaceEndsExitTenAndGivesTheSpaceBack() throws IOException {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "a bundle larger than the disk: mounting a small tmpfs needs root");
        Path base = sandbox.releases();
        long bootedMb = Long.parseLong(run(List.of("du", "-sm", sandbox.appDirectory().toString()), Map.of()).split("\\s")[0]);
        Files.createDirectories(base);
        run(List.of("mount", "-t", "tmpfs", "-o", "size=" + (bootedMb + 8) + "m", "tmpfs", base.toString()), Map.of());
        try {
            Path big = bundle(List.of("data.bin", "random:" + (bootedMb + 16)));
            pipeline.upload(PREFIX, v2, big, Bundles.sha256(big));

            Map<String, String> parameters = new HashMap<>(sandbox.redeployParameters(v2));
            parameters.put("RepositoryUrl", PREFIX);
            parameters.put("MinFreeMegabytes", "1");
            LocalCommandRunner.Execution run = runner.execute(UUID.randomUUID().toString(), DOCUMENT.resolve(parameters));

            assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isEqualTo(10);
            assertThat(run.summary().message()).contains("no space left in", "nothing was switched");
            assertThat(sandbox.served()).isEqualTo(v1);
            assertThat(release(v2)).doesNotExist();
            assertThat(Files.getFileStore(base).getUsableSpace()).as("the partial release removed")
                    .isGreaterThan(4L * 1024 * 1024);
        } finally {
            sandbox.close();
            run(List.of("umount", base.toString()), Map.of());
        }
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

    /**
     * A hostile bundle: pairs of name and content ("->target" makes a symlink, "random:N" N MB of random bytes), built
     * with Python's tarfile.
     */
    private Path bundle(List<String> entries) throws IOException {
        Path out = tmp.resolve("hostile-" + UUID.randomUUID() + ".tar.gz");
        StringBuilder py = new StringBuilder("import io, sys, tarfile\nt = tarfile.open(sys.argv[1], 'w:gz')\n");
        py.append("i = tarfile.TarInfo('app.py'); d = b'print(1)'; i.size = len(d); t.addfile(i, io.BytesIO(d))\n");
        for (int n = 0; n < entries.size(); n += 2) {
            String name = entries.get(n);
            String content = entries.get(n + 1);
            if (content.startsWith("random:")) { // that many MB of random bytes: gzip cannot shrink them
                py.append("import os; i = tarfile.TarInfo(%s); d = os.urandom(%s * 1048576); i.size = len(d); t.addfile(i, io.BytesIO(d))\n"
                        .formatted(pyString(name), Integer.parseInt(content.substring(7))));
            } else if (content.startsWith("->")) {
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

    private static String run(List<String> command, Map<String, String> env) {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        Processes.Result r = Processes.run(pb, Duration.ofMinutes(1));
        assertThat(r.exitCode()).as(String.join(" ", command) + ": " + r.stdout() + r.stderr()).isZero();
        return r.stdout();
    }
}
