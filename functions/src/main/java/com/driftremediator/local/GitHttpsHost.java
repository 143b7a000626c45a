package com.driftremediator.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A private git host on loopback, made of real parts: Apache httpd (Debian's apache2) with TLS and basic
 * authentication in front of git's smart HTTP protocol ({@code git http-backend}), serving the bare repositories
 * under one directory at {@code https://ADDRESS:PORT/git/<name>.git}, ADDRESS a loopback address. Its certificate
 * is signed by a test CA that is added to the machine's trust store (where an instance's git looks) while it runs,
 * and removed after ({@link TlsApache}).
 *
 * <p>Made of Debian's apache2 and git, run as root ({@link SystemTool}).
 */
public final class GitHttpsHost implements AutoCloseable {
    public static final Path APACHE = TlsApache.APACHE;

    private final String address;
    private final int port;
    private final TlsApache apache;

    private GitHttpsHost(String address, int port, TlsApache apache) {
        this.address = address;
        this.port = port;
        this.apache = apache;
    }

    /**
     * Serves every bare repository in {@code repositories} to {@code user} with {@code password} at {@code address};
     * state in {@code dir}.
     */
    public static GitHttpsHost start(Path dir, String address, Path repositories, String user, String password) {
        SystemTool.require(APACHE, "apache2", "a private git host (Apache httpd in front of git http-backend)");
        SystemTool.require(TlsApache.BACKEND, "git", "git http-backend");
        try {
            Files.createDirectories(dir);
            int port = Sandbox.freePort(InetAddress.getByName(address));
            TlsApache.run(dir, "htpasswd", "-cbB", "htpasswd", user, password);
            TlsApache apache = TlsApache.start(dir, address, port, List.of("IP:" + address),
                    List.of("authn_core", "authn_file", "authz_user", "auth_basic"), site(dir, repositories));
            return new GitHttpsHost(address, port, apache);
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
        return apache.accessLog();
    }

    private static String site(Path dir, Path repositories) {
        StringBuilder c = new StringBuilder();
        // git http-backend runs as www-data over repositories another user owns: it must trust them
        c.append("SetEnv GIT_PROJECT_ROOT ").append(repositories).append("\nSetEnv GIT_HTTP_EXPORT_ALL 1\n");
        c.append("SetEnv GIT_CONFIG_COUNT 1\nSetEnv GIT_CONFIG_KEY_0 safe.directory\nSetEnv GIT_CONFIG_VALUE_0 *\n");
        c.append("ScriptAlias /git/ ").append(TlsApache.BACKEND).append("/\n");
        c.append("<Location /git/>\n  AuthType Basic\n  AuthName git\n  AuthUserFile ").append(dir.resolve("htpasswd"))
                .append("\n  Require valid-user\n</Location>\n");
        return c.toString();
    }

    @Override
    public void close() {
        apache.close();
    }
}
