package com.driftremediator.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

class AwsClientsTest {

    @Test
    void onDemandLambdaUsesTheKeyVariables() {
        assertThat(AwsClients.credentials(Map.of("AWS_ACCESS_KEY_ID", "AKID",
                "AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:9001/x")))
                .isInstanceOf(EnvironmentVariableCredentialsProvider.class);
    }

    @Test
    void snapStartLambdaUsesTheContainerEndpoint() {
        // with SnapStart, Lambda sets no key variables, only the container credentials endpoint and its token
        assertThat(AwsClients.credentials(Map.of("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:9001/x",
                "AWS_CONTAINER_AUTHORIZATION_TOKEN", "t"))).isInstanceOf(ContainerCredentialsProvider.class);
    }

    @Test
    void outsideLambdaTheDefaultChainFindsProfiles() {
        assertThat(AwsClients.credentials(Map.<String, String>of())).isInstanceOf(DefaultCredentialsProvider.class);
    }

    @Test
    void theRegionIsRequired() {
        assertThatThrownBy(() -> AwsClients.fromEnvironment(Map.<String, String>of()))
                .hasMessageContaining("AWS_REGION");
        assertThat(AwsClients.fromEnvironment(Map.of("AWS_DEFAULT_REGION", "eu-west-1")).region().id())
                .isEqualTo("eu-west-1");
    }

    /** The provider picked for SnapStart, against an endpoint that answers as Lambda's does (token required). */
    @Test
    void theContainerProviderResolvesLambdaStyleCredentials() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/credentials", exchange -> {
            boolean authorized = "token-123".equals(exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] body = ("{\"AccessKeyId\":\"ASIAEXAMPLE\",\"SecretAccessKey\":\"secret\",\"Token\":\"session\","
                    + "\"Expiration\":\"" + Instant.now().plusSeconds(3600) + "\"}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(authorized ? 200 : 403, authorized ? body.length : -1);
            if (authorized) exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        String uri = "http://127.0.0.1:" + server.getAddress().getPort() + "/credentials";
        // the SDK reads these settings from system properties before the environment
        System.setProperty("aws.containerCredentialsFullUri", uri);
        System.setProperty("aws.containerAuthorizationToken", "token-123");
        try {
            AwsCredentialsProvider provider = AwsClients.credentials(Map.of(
                    "AWS_CONTAINER_CREDENTIALS_FULL_URI", uri, "AWS_CONTAINER_AUTHORIZATION_TOKEN", "token-123"));
            AwsCredentials resolved = provider.resolveCredentials();
            assertThat(resolved.accessKeyId()).isEqualTo("ASIAEXAMPLE");
        } finally {
            System.clearProperty("aws.containerCredentialsFullUri");
            System.clearProperty("aws.containerAuthorizationToken");
            server.stop(0);
        }
    }

    /** SnapStart priming's handshakes: plain GETs of the endpoint's root, no credentials. */
    @Test
    void theTlsWarmUpSendsUnsignedGetsOfTheRoot() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            seen.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " auth="
                    + exchange.getRequestHeaders().getFirst("Authorization"));
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        server.start();
        try {
            AwsClients clients = new AwsClients(Region.EU_WEST_1, StaticCredentialsProvider.create(
                    AwsBasicCredentials.create("AKID", "secret")), URI.create("http://127.0.0.1:" + server.getAddress().getPort()));

            assertThat(clients.warmUpTls("ssm", 3)).isNull();

            assertThat(seen).containsExactly("GET / auth=null", "GET / auth=null", "GET / auth=null");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void theTlsWarmUpSaysWhyItStopped() throws Exception {
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort(); // nothing listens there once it is closed
        }
        AwsClients unreachable = new AwsClients(Region.EU_WEST_1, StaticCredentialsProvider.create(
                AwsBasicCredentials.create("AKID", "secret")), URI.create("http://127.0.0.1:" + port));
        AwsClients china = new AwsClients(Region.CN_NORTH_1, StaticCredentialsProvider.create(
                AwsBasicCredentials.create("AKID", "secret")), null);

        assertThat(unreachable.warmUpTls("ssm", 3)).startsWith("ConnectException").endsWith("from 127.0.0.1");
        assertThat(china.warmUpTls("ssm", 3)).isEqualTo("no standard endpoint for ssm in cn-north-1");
    }

    /**
     * Over TLS, as against AWS: every round is a new connection, so a full handshake (what a restored environment's
     * first call of each client makes), and the certificate is validated against the JVM's trust store.
     */
    @Test
    void overTlsEachRoundIsItsOwnHandshake(@TempDir Path dir) throws Exception {
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Path keys = dir.resolve("server.p12");
        Path certificate = dir.resolve("server.pem");
        Path trust = dir.resolve("trust.p12");
        run(keytool, "-genkeypair", "-alias", "s", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=127.0.0.1",
                "-ext", "san=ip:127.0.0.1", "-keystore", keys.toString(), "-storetype", "PKCS12", "-storepass", "secret1");
        run(keytool, "-exportcert", "-rfc", "-alias", "s", "-keystore", keys.toString(), "-storepass", "secret1",
                "-file", certificate.toString());
        run(keytool, "-importcert", "-noprompt", "-alias", "s", "-file", certificate.toString(), "-keystore",
                trust.toString(), "-storetype", "PKCS12", "-storepass", "secret1");
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(keys)) {
            store.load(in, "secret1".toCharArray());
        }
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance("SunX509");
        keyManagers.init(store, "secret1".toCharArray());
        SSLContext serverTls = SSLContext.getInstance("TLS");
        serverTls.init(keyManagers.getKeyManagers(), null, null);

        List<Integer> connections = new CopyOnWriteArrayList<>();
        HttpsServer server = HttpsServer.create(
                new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(serverTls));
        server.createContext("/", exchange -> {
            connections.add(exchange.getRemoteAddress().getPort());
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        server.start();
        Map<String, String> before = Map.of("javax.net.ssl.trustStore", System.getProperty("javax.net.ssl.trustStore", ""),
                "javax.net.ssl.trustStorePassword", System.getProperty("javax.net.ssl.trustStorePassword", ""));
        System.setProperty("javax.net.ssl.trustStore", trust.toString());
        System.setProperty("javax.net.ssl.trustStorePassword", "secret1");
        try {
            AwsClients clients = new AwsClients(Region.EU_WEST_1, StaticCredentialsProvider.create(
                    AwsBasicCredentials.create("AKID", "secret")), URI.create("https://127.0.0.1:" + server.getAddress().getPort()));

            assertThat(clients.warmUpTls("ssm", 3)).isNull();

            assertThat(connections).hasSize(3).doesNotHaveDuplicates();
        } finally {
            before.forEach((k, v) -> {
                if (v.isEmpty()) System.clearProperty(k);
                else System.setProperty(k, v);
            });
            server.stop(0);
        }
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(output).isZero();
    }
}
