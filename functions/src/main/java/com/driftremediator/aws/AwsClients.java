package com.driftremediator.aws;

import java.net.URI;
import java.util.List;
import java.util.Map;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.retries.api.RetryStrategy;
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
