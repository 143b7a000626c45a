package com.driftremediator.local;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A private git host on loopback, made of real parts: Apache httpd (Debian's apache2) with TLS and basic
 * authentication in front of git's smart HTTP protocol ({@code git http-backend}), serving the bare repositories
 * under one directory at {@code https://ADDRESS:PORT/git/<name>.git}, ADDRESS a loopback address. Its certificate is signed by a test CA that
 * is added to the machine's trust store (where an instance's git looks) while it runs, and removed after.
 *
 * <p>Made of Debian's apache2 and git, run as root ({@link SystemTool}).
 */
public final class GitHttpsHost implements AutoCloseable {
    public static final Path APACHE = Path.of("/usr/sbin/apache2");
    private static final Path MODULES = Path.of("/usr/lib/apache2/modules");
    private static final Path BACKEND = Path.of("/usr/lib/git-core/git-http-backend");
    private static final Path TRUSTED = Path.of("/usr/local/share/ca-certificates");

    private final Path dir;
    private final String address;
    private final int port;
    private final Process httpd;
    private final Path trustedCa;

    private GitHttpsHost(Path dir, String address, int port, Process httpd, Path trustedCa) {
        this.dir = dir;
        this.address = address;
        this.port = port;
        this.httpd = httpd;
        this.trustedCa = trustedCa;
    }

    /**
     * Serves every bare repository in {@code repositories} to {@code user} with {@code password} at {@code address};
     * state in {@code dir}.
     */
    public static GitHttpsHost start(Path dir, String address, Path repositories, String user, String password) {
        SystemTool.require(APACHE, "apache2", "a private git host (Apache httpd in front of git http-backend)");
        SystemTool.require(BACKEND, "git", "git http-backend");
        try {
            Files.createDirectories(dir.resolve("empty"));
            int port = Sandbox.freePort(InetAddress.getByName(address));
            run(dir, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt",
                    "-days", "2", "-subj", "/CN=drift-remediator test CA " + port);
            run(dir, "openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr",
                    "-subj", "/CN=" + address);
            Files.writeString(dir.resolve("ext.cnf"), "subjectAltName=IP:" + address + "\nbasicConstraints=CA:FALSE\n");
            run(dir, "openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
                    "-CAcreateserial", "-out", "server.crt", "-days", "2", "-extfile", "ext.cnf");
            run(dir, "htpasswd", "-cbB", "htpasswd", user, password);
            Files.writeString(dir.resolve("httpd.conf"), config(dir, address, repositories, port));
            Path trusted = TRUSTED.resolve("drift-remediator-test-" + port + ".crt");
            Files.createDirectories(TRUSTED);
            Files.copy(dir.resolve("ca.crt"), trusted);
            run(dir, "update-ca-certificates");
            Process httpd = new ProcessBuilder(APACHE.toString(), "-f", dir.resolve("httpd.conf").toString(), "-DFOREGROUND")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("httpd.out").toFile())
                    .redirectInput(new File("/dev/null")).start();
            GitHttpsHost server = new GitHttpsHost(dir, address, port, httpd, trusted);
            server.awaitListening();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code https://ADDRESS:PORT/git/<name>}: no user info, as the redeploy takes it. */
    public String url(String name) {
        return "https://" + address + ":" + port + "/git/" + name;
    }

    /** The server's access log: who asked for what, and the status it got. */
    public String accessLog() {
        try {
            return Files.exists(dir.resolve("access.log")) ? Files.readString(dir.resolve("access.log")) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String config(Path dir, String address, Path repositories, int port) {
        StringBuilder c = new StringBuilder();
        c.append("ServerRoot ").append(dir).append("\nServerName ").append(address).append("\nListen ").append(address).append(':')
                .append(port).append('\n');
        c.append("PidFile ").append(dir.resolve("httpd.pid")).append("\nErrorLog ").append(dir.resolve("error.log")).append('\n');
        c.append("LogFormat \"%h %u \\\"%r\\\" %>s\" short\nCustomLog ").append(dir.resolve("access.log")).append(" short\n");
        c.append("User www-data\nGroup www-data\n"); // we run as root (SystemTool.require)
        for (String m : List.of("mpm_event", "authn_core", "authn_file", "authz_core", "authz_user", "auth_basic", "alias",
                "env", "cgid", "ssl")) {
            c.append("LoadModule ").append(m).append("_module ").append(MODULES.resolve("mod_" + m + ".so")).append('\n');
        }
        c.append("ScriptSock ").append(dir.resolve("cgid.sock")).append("\nDocumentRoot ").append(dir.resolve("empty")).append('\n');
        c.append("SSLEngine on\nSSLCertificateFile ").append(dir.resolve("server.crt")).append('\n');
        c.append("SSLCertificateKeyFile ").append(dir.resolve("server.key")).append('\n');
        // git http-backend runs as www-data over repositories another user owns: it must trust them
        c.append("SetEnv GIT_PROJECT_ROOT ").append(repositories).append("\nSetEnv GIT_HTTP_EXPORT_ALL 1\n");
        c.append("SetEnv GIT_CONFIG_COUNT 1\nSetEnv GIT_CONFIG_KEY_0 safe.directory\nSetEnv GIT_CONFIG_VALUE_0 *\n");
        c.append("ScriptAlias /git/ ").append(BACKEND).append("/\n");
        c.append("<Location /git/>\n  AuthType Basic\n  AuthName git\n  AuthUserFile ").append(dir.resolve("htpasswd"))
                .append("\n  Require valid-user\n</Location>\n");
        return c.toString();
    }

    private void awaitListening() {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (true) {
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create(url("none.git/info/refs")).toURL().openConnection();
                c.setConnectTimeout(500);
                c.getResponseCode();
                return;
            } catch (IOException notYet) {
                // a certificate our JVM does not trust still means it listens
                if (notYet instanceof javax.net.ssl.SSLException) return;
            }
            if (!httpd.isAlive() || Instant.now().isAfter(deadline)) {
                close();
                throw new IllegalStateException("apache2 did not start; see " + dir.resolve("error.log"));
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void run(Path dir, String... command) {
        SystemTool.run(dir, Map.of(), Duration.ofMinutes(1), List.of(command));
    }

    @Override
    public void close() {
        httpd.destroy();
        try {
            if (!httpd.waitFor(10, TimeUnit.SECONDS)) httpd.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            if (Files.deleteIfExists(trustedCa)) run(dir, "update-ca-certificates");
        } catch (IOException | RuntimeException e) {
            System.err.println("cannot remove the test CA " + trustedCa + ": " + e.getMessage());
        }
    }
}
