package com.driftremediator.aws;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.SdkSystemSetting;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;

/**
 * Builds SDK clients the lean way: URL-connection HTTP client, explicit region and credentials provider
 * (no discovery chain on Lambda), adaptive retries, and {@code AWS_ENDPOINT_URL} honoured for emulators.
 * Build each client once per container, outside the handler method.
 */
public final class AwsClients {
    private final Region region;
    private final AwsCredentialsProvider credentials;
    private final URI endpoint;
    private final RetryStrategy retries;
    private final OfflineHttpClient offlineHttp;

    public AwsClients(Region region, AwsCredentialsProvider credentials, URI endpoint) {
        this(region, credentials, endpoint, null);
    }

    /** @param retries null: the SDK's adaptive retries (tests pass fewer attempts and short back-offs) */
    public AwsClients(Region region, AwsCredentialsProvider credentials, URI endpoint, RetryStrategy retries) {
        this(region, credentials, endpoint, retries, null);
    }

    private AwsClients(Region region, AwsCredentialsProvider credentials, URI endpoint, RetryStrategy retries,
                       OfflineHttpClient offlineHttp) {
        this.region = region;
        this.credentials = credentials;
        this.endpoint = endpoint;
        this.retries = retries;
        this.offlineHttp = offlineHttp;
    }

    /**
     * Clients configured like these whose requests never leave the process ({@link OfflineHttpClient}), signed
     * with placeholder credentials: priming resolves no real ones and sends nothing.
     */
    public AwsClients offline() {
        return new AwsClients(region, StaticCredentialsProvider.create(
                AwsSessionCredentials.create("ASIAPRIMING", "priming", "priming")), endpoint, retries,
                new OfflineHttpClient());
    }

    /** The operations the offline clients answered; empty for real clients. */
    public List<String> offlineOperations() {
        return offlineHttp == null ? List.of() : offlineHttp.answered();
    }

    /**
     * From the Lambda environment: AWS_REGION and the function's credentials, in environment variables or, with
     * SnapStart (where Lambda sets no key variables), from the container credentials endpoint.
     */
    public static AwsClients fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    static AwsClients fromEnvironment(Map<String, String> env) {
        String region = env.get("AWS_REGION");
        if (region == null || region.isBlank()) region = env.get("AWS_DEFAULT_REGION");
        if (region == null || region.isBlank()) {
            throw new IllegalStateException("AWS_REGION is not set");
        }
        String endpoint = env.get("AWS_ENDPOINT_URL");
        if (endpoint != null && endpoint.isBlank()) {
            // What `sam local invoke` gives the template's AWS_ENDPOINT_URL when nothing sets it: no endpoint. The
            // SDK would take the empty value for one, and every client it built would fail.
            System.setProperty(SdkSystemSetting.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS.property(), "true");
        }
        return new AwsClients(Region.of(region), credentials(env),
                endpoint == null || endpoint.isBlank() ? null : URI.create(endpoint));
    }

    static AwsCredentialsProvider credentials(Map<String, String> env) {
        if (env.get("AWS_ACCESS_KEY_ID") != null) return EnvironmentVariableCredentialsProvider.create();
        if (env.get("AWS_CONTAINER_CREDENTIALS_FULL_URI") != null) return ContainerCredentialsProvider.builder().build();
        return DefaultCredentialsProvider.builder().build(); // CLI use with profiles, outside Lambda
    }

    public Region region() {
        return region;
    }

    /**
     * SnapStart priming's network part: {@code rounds} unsigned {@code GET /} requests to the service's endpoint (the
     * one its client calls: the override, or the regional endpoint), each through a new URL-connection client, so each
     * is a full TLS handshake, as every SDK client's first call after a restore is. The snapshot then holds the
     * handshake, certificate validation and encrypted I/O loaded and compiled. No credentials, no operation, the
     * answer's body is not read. Each round's client has its own TLS socket factory, which keys the JDK's keep-alive
     * cache, so no real client can ever be handed one of these connections; one left idle there is closed by the JDK's
     * keep-alive timer. Best effort: returns null, or why it stopped (no network, or a partition it does not know).
     */
    public String warmUpTls(String endpointPrefix, int rounds) {
        URI url = endpoint != null ? endpoint
                : RegionalEndpoints.resolve(endpointPrefix, region, false, false, null,
                        () -> CompletableFuture.completedFuture(null))
                        .thenApply(e -> e == null ? null : e.url()).join();
        if (url == null) return "no standard endpoint for " + endpointPrefix + " in " + region;
        SdkHttpRequest get = SdkHttpRequest.builder().method(SdkHttpMethod.GET).uri(url.resolve("/")).build();
        for (int round = 0; round < rounds; round++) {
            try (SdkHttpClient http = UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(2))
                    .socketTimeout(Duration.ofSeconds(2)).build()) {
                ExecutableHttpRequest request = http.prepareRequest(HttpExecuteRequest.builder().request(get).build());
                request.call();
                request.abort(); // closes the connection if the answer has a body still to read
            } catch (Exception e) {
                return e.getClass().getSimpleName() + " from " + url.getHost();
            }
        }
        return null;
    }

    public <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C build(B builder) {
        builder.region(region).credentialsProvider(credentials);
        if (offlineHttp != null) builder.httpClient(offlineHttp);
        else builder.httpClientBuilder(UrlConnectionHttpClient.builder());
        builder.overrideConfiguration(retries == null
                        ? ClientOverrideConfiguration.builder().retryStrategy(RetryMode.ADAPTIVE_V2).build()
                        : ClientOverrideConfiguration.builder().retryStrategy(retries).build());
        if (endpoint != null) builder.endpointOverride(endpoint);
        return builder.build();
    }
}
