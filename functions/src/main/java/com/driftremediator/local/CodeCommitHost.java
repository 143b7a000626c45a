package com.driftremediator.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * CodeCommit's git endpoint on loopback, made of real parts: Apache httpd with TLS on {@code 127.0.4.43:443} for
 * {@code git-codecommit.REGION.amazonaws.com}, and in front of {@code git http-backend} a CGI
 * ({@code codecommit/endpoint.py}) that takes only what the AWS CLI's credential helper signs with one role's keys, as
 * CodeCommit does. While it runs, the names resolve to that address through a line of {@code /etc/hosts} and its test CA
 * is trusted ({@link TlsApache}); both are removed on close. Nothing reaches AWS.
 *
 * <p>Made of Debian's apache2, git and python3 (the server's user, www-data, cannot run a virtual environment's under
 * root's home), with the AWS CLI's site-packages on its path for botocore; run as root ({@link SystemTool}).
 */
public final class CodeCommitHost implements AutoCloseable {
    /** Port 443, as the instance's git finds it by the URL; an address of its own on loopback, so nothing else is on it. */
    public static final String ADDRESS = "127.0.4.43";
    private static final Path HOSTS = Path.of("/etc/hosts");
    private static final Path PYTHON = Path.of("/usr/bin/python3");

    private final Path dir;
    private final TlsApache apache;
    private final String hostsLine;

    private CodeCommitHost(Path dir, TlsApache apache, String hostsLine) {
        this.dir = dir;
        this.apache = apache;
        this.hostsLine = hostsLine;
    }

    /**
     * Serves every bare repository {@code NAME.git} in {@code repositories} as {@code /v1/repos/NAME} in each of
     * {@code regions}, to requests signed with {@code keys}; state and logs in {@code dir}. {@code awsCli} is an AWS
     * CLI installed in a virtual environment ({@code .venv/awscli/bin/aws}): its botocore checks the signatures.
     */
    public static CodeCommitHost start(Path dir, Path repositories, Path awsCli, RoleCredentials keys, String... regions) {
        SystemTool.require(TlsApache.APACHE, "apache2", "CodeCommit's stand-in (Apache httpd in front of git http-backend)");
        SystemTool.require(TlsApache.BACKEND, "git", "git http-backend");
        SystemTool.require(PYTHON, "python3", "CodeCommit's stand-in (its signature check)");
        Path sitePackages = sitePackages(awsCli);
        List<String> hosts = Arrays.stream(regions).map(r -> "git-codecommit." + r + ".amazonaws.com").toList();
        String line = ADDRESS + " " + String.join(" ", hosts) + " # drift-remediator CodeCommitHost " + dir;
        try {
            Files.createDirectories(dir);
            Path cgi = dir.resolve("endpoint.cgi");
            Files.writeString(cgi, "#!" + PYTHON + "\n" + resource("endpoint.py"));
            Files.setPosixFilePermissions(cgi, PosixFilePermissions.fromString("rwxr-xr-x"));
            // the CGI runs as www-data: it appends to these
            for (String log : List.of("codecommit.log", "passwords.seen")) writableByServer(Files.writeString(dir.resolve(log), ""));
            List<String> names = hosts.stream().map(h -> "DNS:" + h).toList();
            String site = site(dir, repositories, sitePackages, keys, cgi);
            addHostsLine(line);
            try {
                return new CodeCommitHost(dir, TlsApache.start(dir, ADDRESS, 443, names, List.of(), site), line);
            } catch (RuntimeException e) {
                removeHostsLine(line);
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code https://git-codecommit.REGION.amazonaws.com/v1/repos/NAME}, CodeCommit's HTTPS clone URL. */
    public static String url(String region, String name) {
        return "https://git-codecommit." + region + ".amazonaws.com/v1/repos/" + name;
    }

    /** One line a request: its status (200 or 401), the access key id, method, host and path, and why. */
    public String accessLog() {
        return read(dir.resolve("codecommit.log"));
    }

    /** The passwords (timestamp and signature) the endpoint took, for a test to search the instance for. */
    public List<String> passwordsTaken() {
        return read(dir.resolve("passwords.seen")).lines().toList();
    }

    /** {@code VENV/lib/python3.X/site-packages} of the virtual environment {@code awsCli} is in. */
    private static Path sitePackages(Path awsCli) {
        Path lib = awsCli.toAbsolutePath().getParent().getParent().resolve("lib");
        try (var versions = Files.list(lib)) {
            return versions.map(v -> v.resolve("site-packages")).filter(p -> Files.isDirectory(p.resolve("awscli/botocore")))
                    .findFirst().orElseThrow(() -> new IllegalStateException("no awscli/botocore under " + lib + ": bin/test installs it"));
        } catch (IOException e) {
            throw new IllegalStateException(awsCli + " is not in a virtual environment: bin/test installs .venv/awscli", e);
        }
    }

    private static String site(Path dir, Path repositories, Path sitePackages, RoleCredentials keys, Path cgi) {
        StringBuilder c = new StringBuilder();
        // git http-backend runs as www-data over repositories another user owns: it must trust them
        c.append("SetEnv GIT_PROJECT_ROOT ").append(repositories).append("\nSetEnv GIT_HTTP_EXPORT_ALL 1\n");
        c.append("SetEnv GIT_CONFIG_COUNT 1\nSetEnv GIT_CONFIG_KEY_0 safe.directory\nSetEnv GIT_CONFIG_VALUE_0 *\n");
        c.append("SetEnv GIT_HTTP_BACKEND ").append(TlsApache.BACKEND).append('\n');
        c.append("SetEnv PYTHONPATH ").append(sitePackages).append("\nSetEnv PYTHONDONTWRITEBYTECODE 1\n");
        c.append("SetEnv CODECOMMIT_KEY_ID ").append(keys.accessKeyId()).append('\n');
        c.append("SetEnv CODECOMMIT_SECRET_KEY ").append(keys.secretAccessKey()).append('\n');
        if (keys.sessionToken() != null) c.append("SetEnv CODECOMMIT_SESSION_TOKEN ").append(keys.sessionToken()).append('\n');
        c.append("SetEnv CODECOMMIT_LOG ").append(dir.resolve("codecommit.log")).append('\n');
        c.append("SetEnv CODECOMMIT_SEEN ").append(dir.resolve("passwords.seen")).append('\n');
        c.append("ScriptAlias /v1/repos/ ").append(cgi).append("/\n");
        // the CGI checks the signature itself: it needs the Authorization header, which Apache keeps from CGIs otherwise
        c.append("<Location /v1/repos/>\n  CGIPassAuth On\n</Location>\n");
        return c.toString();
    }

    // /etc/hosts is rewritten in place (a container may bind-mount it: no rename), one line added, exactly it removed.
    private static synchronized void addHostsLine(String line) throws IOException {
        String hosts = Files.readString(HOSTS);
        Files.writeString(HOSTS, hosts + (hosts.isEmpty() || hosts.endsWith("\n") ? "" : "\n") + line + "\n");
    }

    private static synchronized void removeHostsLine(String line) {
        try {
            List<String> lines = new ArrayList<>(Files.readAllLines(HOSTS));
            if (lines.remove(line)) Files.writeString(HOSTS, lines.stream().map(l -> l + "\n").collect(Collectors.joining()));
        } catch (IOException e) {
            System.err.println("cannot remove the line '" + line + "' from " + HOSTS + ": " + e.getMessage());
        }
    }

    private static void writableByServer(Path file) throws IOException {
        UserPrincipalLookupService users = file.getFileSystem().getUserPrincipalLookupService();
        Files.setOwner(file, users.lookupPrincipalByName("www-data"));
    }

    private static String resource(String name) {
        try (InputStream in = CodeCommitHost.class.getResourceAsStream("/codecommit/" + name)) {
            if (in == null) throw new IllegalStateException("resource /codecommit/" + name + " is missing from the build");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        apache.close();
        removeHostsLine(hostsLine);
    }
}
