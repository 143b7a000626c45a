package com.driftremediator.local;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Apache httpd (Debian's apache2) with TLS on a loopback address, its certificate signed by a test CA that is added
 * to the machine's trust store (where an instance's git looks) while it runs, and removed after. The private git
 * hosts put their site (authentication, git http-backend) on top of it.
 */
final class TlsApache implements AutoCloseable {
    static final Path APACHE = Path.of("/usr/sbin/apache2");
    static final Path BACKEND = Path.of("/usr/lib/git-core/git-http-backend");
    private static final Path MODULES = Path.of("/usr/lib/apache2/modules");
    private static final Path TRUSTED = Path.of("/usr/local/share/ca-certificates");

    private final Path dir;
    private final Process httpd;
    private final Path trustedCa;

    private TlsApache(Path dir, Process httpd, Path trustedCa) {
        this.dir = dir;
        this.httpd = httpd;
        this.trustedCa = trustedCa;
    }

    /**
     * Listens on {@code address:port} for {@code names} (subjectAltName entries: {@code IP:127.0.0.1},
     * {@code DNS:host}) with {@code modules} loaded beyond the TLS and CGI ones and {@code site} appended to the
     * configuration; state and logs ({@code access.log}: client, user, request, status) in {@code dir}.
     */
    static TlsApache start(Path dir, String address, int port, List<String> names, List<String> modules, String site) {
        try {
            Files.createDirectories(dir.resolve("empty"));
            String id = address + ":" + port;
            run(dir, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt",
                    "-days", "2", "-subj", "/CN=drift-remediator test CA " + id);
            run(dir, "openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr",
                    "-subj", "/CN=" + names.get(0).substring(names.get(0).indexOf(':') + 1));
            Files.writeString(dir.resolve("ext.cnf"), "subjectAltName=" + String.join(",", names) + "\nbasicConstraints=CA:FALSE\n");
            run(dir, "openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
                    "-CAcreateserial", "-out", "server.crt", "-days", "2", "-extfile", "ext.cnf");
            Files.writeString(dir.resolve("httpd.conf"), config(dir, address, port, modules) + site);
            Path trusted = TRUSTED.resolve("drift-remediator-test-" + id.replace(':', '-') + ".crt");
            Files.createDirectories(TRUSTED);
            Files.copy(dir.resolve("ca.crt"), trusted);
            run(dir, "update-ca-certificates");
            Process httpd = new ProcessBuilder(APACHE.toString(), "-f", dir.resolve("httpd.conf").toString(), "-DFOREGROUND")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("httpd.out").toFile())
                    .redirectInput(new File("/dev/null")).start();
            TlsApache apache = new TlsApache(dir, httpd, trusted);
            apache.awaitListening(URI.create("https://" + id + "/"));
            return apache;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The server's access log: who asked for what, and the status it got. */
    String accessLog() {
        try {
            return Files.exists(dir.resolve("access.log")) ? Files.readString(dir.resolve("access.log")) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String config(Path dir, String address, int port, List<String> modules) {
        StringBuilder c = new StringBuilder();
        c.append("ServerRoot ").append(dir).append("\nServerName ").append(address).append("\nListen ").append(address)
                .append(':').append(port).append('\n');
        c.append("PidFile ").append(dir.resolve("httpd.pid")).append("\nErrorLog ").append(dir.resolve("error.log")).append('\n');
        c.append("LogFormat \"%h %u \\\"%r\\\" %>s\" short\nCustomLog ").append(dir.resolve("access.log")).append(" short\n");
        c.append("User www-data\nGroup www-data\n"); // we run as root (SystemTool.require)
        List<String> all = new ArrayList<>(List.of("mpm_event", "authz_core", "alias", "env", "cgid", "ssl"));
        all.addAll(modules);
        for (String m : all) {
            c.append("LoadModule ").append(m).append("_module ").append(MODULES.resolve("mod_" + m + ".so")).append('\n');
        }
        c.append("ScriptSock ").append(dir.resolve("cgid.sock")).append("\nDocumentRoot ").append(dir.resolve("empty")).append('\n');
        c.append("SSLEngine on\nSSLCertificateFile ").append(dir.resolve("server.crt")).append('\n');
        c.append("SSLCertificateKeyFile ").append(dir.resolve("server.key")).append('\n');
        return c.toString();
    }

    private void awaitListening(URI probe) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (true) {
            try {
                HttpURLConnection c = (HttpURLConnection) probe.toURL().openConnection();
                c.setConnectTimeout(500);
                c.getResponseCode();
                return;
            } catch (IOException notYet) {
                // a certificate our JVM does not trust (or not for this name) still means it listens
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

    static void run(Path dir, String... command) {
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
