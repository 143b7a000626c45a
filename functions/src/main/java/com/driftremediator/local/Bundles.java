package com.driftremediator.local;

import com.driftremediator.domain.Revision;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The pipeline's step for an S3 source, as docs/sources.md gives it, with the real AWS CLI: each commit's
 * {@code git archive}, gzipped, uploaded as {@code PREFIX/<sha>.tar.gz} next to {@code <sha>.tar.gz.sha256}
 * (sha256sum's line), which RedeployDocument checks. The one writer of that layout; the document is its reader.
 *
 * @param awsCli   the AWS CLI (.venv/awscli)
 * @param endpoint the emulated account's endpoint
 */
public record Bundles(Path awsCli, URI endpoint, String region) {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    /** The bucket {@code prefix} (s3://BUCKET/...) lives in, made. */
    public void createBucket(String prefix) {
        String path = prefix.substring("s3://".length());
        aws("s3", "mb", "s3://" + (path.contains("/") ? path.substring(0, path.indexOf('/')) : path));
    }

    /** {@code revision} of {@code repository} built in {@code dir} and uploaded under {@code prefix}. */
    public void publish(String prefix, SampleRepository repository, Revision revision, Path dir) {
        Path bundle = build(repository, revision, dir);
        upload(prefix, revision, bundle, sha256(bundle));
    }

    /** Any bundle file as {@code revision}'s, with the SHA-256 the pipeline recorded (a test's tampered one, too). */
    public void upload(String prefix, Revision revision, Path bundle, String sha256) {
        try {
            Path sum = bundle.resolveSibling(bundle.getFileName() + ".sha256");
            Files.writeString(sum, sha256 + "  " + revision.sha() + ".tar.gz\n");
            aws("s3", "cp", bundle.toString(), prefix + "/" + revision.sha() + ".tar.gz");
            aws("s3", "cp", sum.toString(), prefix + "/" + revision.sha() + ".tar.gz.sha256");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The pipeline's build: the commit's tree, gzipped, as {@code dir/<sha>.tar.gz}. */
    public static Path build(SampleRepository repository, Revision revision, Path dir) {
        Path bundle = dir.resolve(revision.sha() + ".tar.gz");
        check(Processes.run(new ProcessBuilder("git", "-C", repository.gitDir().toString(), "archive", "--format=tar.gz",
                "-o", bundle.toString(), revision.sha()), TIMEOUT), "git archive");
        return bundle;
    }

    public static String sha256(Path file) {
        Processes.Result r = Processes.run(new ProcessBuilder("sha256sum", file.toString()), TIMEOUT);
        check(r, "sha256sum");
        return r.stdout().substring(0, 64);
    }

    private void aws(String... args) {
        List<String> command = new ArrayList<>(List.of(awsCli.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(Map.of("AWS_ENDPOINT_URL", endpoint.toString(), "AWS_ACCESS_KEY_ID", "testing",
                "AWS_SECRET_ACCESS_KEY", "testing", "AWS_DEFAULT_REGION", region));
        check(Processes.run(pb, TIMEOUT), String.join(" ", args));
    }

    private static void check(Processes.Result r, String what) {
        if (!r.ok()) throw new IllegalStateException(what + " failed: " + r.stdout() + r.stderr());
    }
}
