package bench.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FrontTlsTest {
    private static final Path JDK = Path.of(System.getProperty("java.home"));

    @TempDir
    Path dir;

    @Test
    void aClientTrustingTheStoreCompletesAVerifiedHandshakeWithTheFront() throws Exception {
        FrontTls tls = FrontTls.create(dir, JDK);
        HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 4);
        server.setHttpsConfigurator(new HttpsConfigurator(tls.serverContext()));
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        try {
            HttpClient client = HttpClient.newBuilder().sslContext(clientContext(tls.trustStore())).build();
            HttpResponse<Void> answer = client.send(HttpRequest.newBuilder(
                    URI.create("https://127.0.0.1:" + server.getAddress().getPort() + "/")).build(),
                    HttpResponse.BodyHandlers.discarding());

            assertThat(answer.statusCode()).isEqualTo(200);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void theTrustStoreIsTheJdksCacertsPlusTheFront() throws Exception {
        FrontTls tls = FrontTls.create(dir, JDK);
        KeyStore jdk = load(JDK.resolve("lib/security/cacerts"));
        KeyStore ours = load(tls.trustStore());

        assertThat(ours.getType()).isEqualTo(jdk.getType());
        assertThat(ours.size()).isEqualTo(jdk.size() + 1);
        assertThat(ours.containsAlias("bench-aws-front")).isTrue();
        assertThat(tls.clientFlags()).containsExactly("-Djavax.net.ssl.trustStore=" + tls.trustStore());
    }

    private static SSLContext clientContext(Path trustStore) throws Exception {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(load(trustStore));
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }

    private static KeyStore load(Path file) throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, null);
        }
        return store;
    }
}
