package bench.harness;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * TLS for the AWS front, so that the measured JVMs pay what they pay at a real AWS endpoint: the handshake,
 * certificate validation against the JDK's trust store, encrypted reads and writes. keytool makes a throwaway RSA
 * 2048 key for 127.0.0.1; the measured JVMs get a copy of the JDK's own {@code cacerts} (same type, same 140-odd
 * roots, so the same parsing) with that certificate added, through {@code -Djavax.net.ssl.trustStore}.
 */
final class FrontTls {
    private static final String PASSWORD = "changeit";
    private final Path keyStore;
    private final Path trustStore;

    private FrontTls(Path keyStore, Path trustStore) {
        this.keyStore = keyStore;
        this.trustStore = trustStore;
    }

    static FrontTls create(Path dir, Path jdk) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path keyStore = dir.resolve("front.p12");
        Path certificate = dir.resolve("front.pem");
        Path trustStore = dir.resolve("cacerts-and-front");
        for (Path p : List.of(keyStore, certificate, trustStore)) Files.deleteIfExists(p);
        String keytool = jdk.resolve("bin/keytool").toString();
        run(keytool, "-genkeypair", "-alias", "front", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=127.0.0.1", "-ext", "san=ip:127.0.0.1", "-keystore", keyStore.toString(),
                "-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD);
        run(keytool, "-exportcert", "-rfc", "-alias", "front", "-keystore", keyStore.toString(), "-storepass", PASSWORD,
                "-file", certificate.toString());
        Files.copy(jdk.resolve("lib/security/cacerts"), trustStore);
        trustStore.toFile().setWritable(true);
        run(keytool, "-importcert", "-noprompt", "-alias", "bench-aws-front", "-file", certificate.toString(),
                "-keystore", trustStore.toString(), "-storepass", PASSWORD);
        return new FrontTls(keyStore, trustStore);
    }

    SSLContext serverContext() throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            keys.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(keys, PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(factory.getKeyManagers(), null, null);
        return context;
    }

    /** For the measured JVMs' command line: the trust store, read as the JDK reads cacerts (no password). */
    List<String> clientFlags() {
        return List.of("-Djavax.net.ssl.trustStore=" + trustStore);
    }

    Path trustStore() {
        return trustStore;
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
    }
}
