package com.driftremediator.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

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
}
