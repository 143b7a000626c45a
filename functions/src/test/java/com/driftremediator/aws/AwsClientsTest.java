package com.driftremediator.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;

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
}
