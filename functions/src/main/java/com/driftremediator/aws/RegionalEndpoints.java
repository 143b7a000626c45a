package com.driftremediator.aws;

import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import software.amazon.awssdk.endpoints.Endpoint;
import software.amazon.awssdk.regions.Region;

/**
 * Endpoint resolution for the common case without the SDK's endpoint rules engine, which every request would
 * otherwise run (interpreted at a cold start: about 50 ms of a cold drift check, docs/performance.md).
 *
 * <p>For CloudFormation, SSM, DynamoDB and SNS the rules give {@code https://PREFIX.REGION.amazonaws.com} in every
 * region of the {@code aws} partition, and the endpoint override as it is. Anything else (FIPS, dual-stack, China,
 * GovCloud, the isolated partitions) goes to the SDK's own rules. {@code RegionalEndpointsTest} checks the answers
 * against the SDK's rules for every region the SDK knows.
 */
public final class RegionalEndpoints {
    /** The {@code aws} partition's region pattern, as in the SDK's partitions data. */
    private static final Pattern AWS_PARTITION = Pattern.compile("^(us|eu|ap|sa|ca|me|af|il|mx)-\\w+-\\d+$");

    private RegionalEndpoints() {
    }

    /**
     * @param prefix   the service's endpoint prefix ({@code cloudformation}, {@code ssm}, {@code dynamodb}, {@code sns})
     * @param override the client's endpoint override ({@code AWS_ENDPOINT_URL}), or null
     * @param rules    the SDK's default provider for these parameters
     */
    public static CompletableFuture<Endpoint> resolve(String prefix, Region region, Boolean fips, Boolean dualStack,
                                                      String override, Supplier<CompletableFuture<Endpoint>> rules) {
        if (Boolean.TRUE.equals(fips) || Boolean.TRUE.equals(dualStack)) return rules.get();
        if (override != null) return endpoint(override);
        if (region != null && AWS_PARTITION.matcher(region.id()).matches()) {
            return endpoint("https://" + prefix + "." + region.id() + ".amazonaws.com");
        }
        return rules.get();
    }

    private static CompletableFuture<Endpoint> endpoint(String url) {
        return CompletableFuture.completedFuture(Endpoint.builder().url(URI.create(url)).build());
    }
}
