package com.driftremediator.cli;

import com.driftremediator.aws.AwsClients;
import com.driftremediator.domain.Revision;
import com.driftremediator.local.Bundles;
import com.driftremediator.local.CodeCommitHost;
import com.driftremediator.local.GitHttpsHost;
import com.driftremediator.local.RoleCredentials;
import com.driftremediator.local.SampleRepository;
import com.driftremediator.local.SshGitHost;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The emulated environment's source, set up as a user sets one up (docs/sources.md): the private host it runs on
 * loopback, the secret it keeps in the emulated account's Secrets Manager, and the template parameters that name
 * them. The secret's value is kept only in Secrets Manager: the instances read it with their role.
 */
final class EmulatedSource implements AutoCloseable {
    static final String SECRET_NAME = "streamr-p2p/deploy-credentials";
    static final String BUNDLES = "s3://streamr-p2p-bundles/beta";
    private static final String TOKEN_USER = "x-access-token";

    private final Map<String, String> parameters;
    private final boolean readsWithRole;
    private final AutoCloseable host;

    private EmulatedSource(Map<String, String> parameters, boolean readsWithRole, AutoCloseable host) {
        this.parameters = parameters;
        this.readsWithRole = readsWithRole;
        this.host = host;
    }

    /**
     * Sets up {@code source} for {@code repository} (under the emulator's state, the parent of {@code dir}) in
     * {@code dir}, with the emulated account at {@code moto}. A private host listens at {@code address}, a loopback
     * address of no instance: to an instance, 127.0.0.1 in a URL is itself (CodeCommit's stand-in has an address of
     * its own, {@link CodeCommitHost#ADDRESS}). {@code awsCli} is the pipeline's AWS CLI (S3 bundles are uploaded with
     * it; CodeCommit's stand-in checks signatures with its botocore).
     */
    static EmulatedSource start(Emulator.Source source, Path dir, String address, SampleRepository repository,
                                AwsClients moto, URI motoEndpoint, String region, Path awsCli) throws IOException {
        SampleRepository.clear(dir); // a previous `emulator up` in the same state
        Files.createDirectories(dir);
        Map<String, String> p = new LinkedHashMap<>();
        switch (source) {
            case GIT -> {
                p.put("RepositoryUrl", repository.url());
                return new EmulatedSource(p, false, () -> { });
            }
            case HTTPS -> {
                readableByWebServer(repository, dir);
                String token = "ghs_" + HexFormat.of().formatHex(new SecureRandom().generateSeed(18));
                GitHttpsHost host = GitHttpsHost.start(dir.resolve("httpd"), address, repository.gitDir().getParent(), TOKEN_USER, token);
                p.put("RepositoryUrl", host.url(repository.gitDir().getFileName().toString()));
                p.put("SourceSecretArn", storeSecret(moto, token));
                p.put("GitUsername", TOKEN_USER);
                return new EmulatedSource(p, true, host);
            }
            case CODECOMMIT -> {
                readableByWebServer(repository, dir);
                // the instances' role signs with the emulated account's keys, which the stand-in checks
                CodeCommitHost host = CodeCommitHost.start(dir.resolve("codecommit"), repository.gitDir().getParent(),
                        awsCli, RoleCredentials.TESTING, region);
                p.put("RepositoryUrl", CodeCommitHost.url(region, repository.gitDir().getFileName().toString().replaceFirst("\\.git$", "")));
                return new EmulatedSource(p, true, host);
            }
            case SSH -> {
                Path key = dir.resolve("deploy-key");
                String publicKey = SshGitHost.keygen(key, "drift-remediator emulator deploy key");
                String privateKey = Files.readString(key);
                Files.delete(key); // Secrets Manager holds it from now on
                SshGitHost host = SshGitHost.start(dir.resolve("sshd"), address, publicKey);
                p.put("RepositoryUrl", host.url(repository.gitDir()));
                p.put("SourceSecretArn", storeSecret(moto, privateKey));
                p.put("SshKnownHosts", host.knownHostsLine());
                return new EmulatedSource(p, true, host);
            }
            case S3 -> {
                Bundles pipeline = new Bundles(awsCli, motoEndpoint, region);
                pipeline.createBucket(BUNDLES);
                Path bundles = dir.resolve("bundles");
                Files.createDirectories(bundles);
                for (Revision r : List.of(SampleEnvironment.BOOTED, SampleEnvironment.DESIRED, SampleEnvironment.BAD_RELEASE)) {
                    pipeline.publish(BUNDLES, repository, r, bundles);
                }
                p.put("RepositoryUrl", BUNDLES);
                return new EmulatedSource(p, true, () -> { });
            }
        }
        throw new IllegalArgumentException("no emulated source for " + source);
    }

    /** RepositoryUrl and, for a private source, the parameters that name its secret and pins. */
    Map<String, String> parameters() {
        return parameters;
    }

    String repositoryUrl() {
        return parameters.get("RepositoryUrl");
    }

    /** The instances need their role's AWS CLI (a secret to read, or bundles). */
    boolean readsWithRole() {
        return readsWithRole;
    }

    private static String storeSecret(AwsClients moto, String value) {
        try (SecretsManagerClient secrets = moto.build(SecretsManagerClient.builder())) {
            return secrets.createSecret(r -> r.name(SECRET_NAME).secretString(value)).arn();
        }
    }

    /** The web server's workers (www-data) read the repositories: the emulator's state up to them. */
    private static void readableByWebServer(SampleRepository repository, Path dir) throws IOException {
        for (Path d = repository.gitDir().getParent(); d.startsWith(dir.getParent()); d = d.getParent()) {
            var permissions = Files.getPosixFilePermissions(d);
            permissions.addAll(PosixFilePermissions.fromString("r-xr-xr-x"));
            Files.setPosixFilePermissions(d, permissions);
        }
    }

    @Override
    public void close() {
        try {
            host.close();
        } catch (Exception e) {
            System.err.println("emulator: cannot stop the source's host: " + e.getMessage());
        }
    }
}
