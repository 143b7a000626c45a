package com.driftremediator.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

import org.junit.jupiter.api.Test;

import software.amazon.awssdk.endpoints.Endpoint;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.endpoints.CloudFormationEndpointParams;
import software.amazon.awssdk.services.cloudformation.endpoints.CloudFormationEndpointProvider;
import software.amazon.awssdk.services.dynamodb.endpoints.DynamoDbEndpointParams;
import software.amazon.awssdk.services.dynamodb.endpoints.DynamoDbEndpointProvider;
import software.amazon.awssdk.services.sns.endpoints.SnsEndpointParams;
import software.amazon.awssdk.services.sns.endpoints.SnsEndpointProvider;
import software.amazon.awssdk.services.ssm.endpoints.SsmEndpointParams;
import software.amazon.awssdk.services.ssm.endpoints.SsmEndpointProvider;

/** Our answers are the SDK's rules' answers, for every region the SDK knows and some it does not know yet. */
class RegionalEndpointsTest {
    /** Region, FIPS, dual-stack, override in; the endpoint out, through ours (true) or the SDK's rules (false). */
    interface Resolver {
        Endpoint resolve(boolean ours, Region region, Boolean fips, Boolean dualStack, String override);
    }

    private static final Resolver CLOUDFORMATION = (ours, region, fips, dualStack, override) -> {
        CloudFormationEndpointParams p = CloudFormationEndpointParams.builder().region(region).useFips(fips)
                .useDualStack(dualStack).endpoint(override).build();
        CloudFormationEndpointProvider rules = CloudFormationEndpointProvider.defaultProvider();
        return (ours ? RegionalEndpoints.resolve("cloudformation", region, fips, dualStack, override,
                () -> rules.resolveEndpoint(p)) : rules.resolveEndpoint(p)).join();
    };
    private static final Resolver SSM = (ours, region, fips, dualStack, override) -> {
        SsmEndpointParams p = SsmEndpointParams.builder().region(region).useFips(fips).useDualStack(dualStack)
                .endpoint(override).build();
        SsmEndpointProvider rules = SsmEndpointProvider.defaultProvider();
        return (ours ? RegionalEndpoints.resolve("ssm", region, fips, dualStack, override, () -> rules.resolveEndpoint(p))
                : rules.resolveEndpoint(p)).join();
    };
    private static final Resolver DYNAMODB = (ours, region, fips, dualStack, override) -> {
        DynamoDbEndpointParams p = DynamoDbEndpointParams.builder().region(region).useFips(fips).useDualStack(dualStack)
                .endpoint(override).build();
        DynamoDbEndpointProvider rules = DynamoDbEndpointProvider.defaultProvider();
        return (ours ? RegionalEndpoints.resolve("dynamodb", region, fips, dualStack, override,
                () -> rules.resolveEndpoint(p)) : rules.resolveEndpoint(p)).join();
    };
    private static final Resolver SNS = (ours, region, fips, dualStack, override) -> {
        SnsEndpointParams p = SnsEndpointParams.builder().region(region).useFips(fips).useDualStack(dualStack)
                .endpoint(override).build();
        SnsEndpointProvider rules = SnsEndpointProvider.defaultProvider();
        return (ours ? RegionalEndpoints.resolve("sns", region, fips, dualStack, override, () -> rules.resolveEndpoint(p))
                : rules.resolveEndpoint(p)).join();
    };

    private static List<Region> regions() {
        List<Region> regions = new ArrayList<>(Region.regions());
        // Regions the SDK's data does not list yet: the rules place them by the partitions' patterns.
        for (String id : List.of("eu-west-9", "ap-southeast-12", "us-north-1", "mx-south-2", "cn-south-3",
                "us-gov-north-2", "us-iso-north-1", "eusc-de-west-1", "local")) {
            regions.add(Region.of(id));
        }
        return regions;
    }

    @Test
    void everyRegionGetsTheEndpointTheSdkRulesGive() {
        AtomicInteger ours = new AtomicInteger();
        for (Resolver service : List.of(CLOUDFORMATION, SSM, DYNAMODB, SNS)) {
            for (Region region : regions()) {
                for (Boolean fips : new Boolean[] {null, false, true}) {
                    for (Boolean dualStack : new Boolean[] {null, false, true}) {
                        Endpoint expected = attempt(() -> service.resolve(false, region, fips, dualStack, null));
                        Endpoint actual = attempt(() -> service.resolve(true, region, fips, dualStack, null));
                        if (expected == null) {
                            assertThat(actual).as(region + " fips=" + fips + " dualStack=" + dualStack).isNull();
                            continue;
                        }
                        assertThat(actual.url()).as(region + " fips=" + fips + " dualStack=" + dualStack)
                                .isEqualTo(expected.url());
                        assertThat(actual.headers()).isEqualTo(expected.headers());
                        if (actual.url().getHost().endsWith(".amazonaws.com") && !Boolean.TRUE.equals(fips)
                                && !Boolean.TRUE.equals(dualStack)) {
                            ours.incrementAndGet();
                        }
                    }
                }
            }
        }
        assertThat(ours.get()).as("answers without the rules engine").isGreaterThan(4 * 30);
    }

    @Test
    void theEndpointOverrideIsUsedAsItIsUnlessFipsOrDualStackAsk() {
        for (Resolver service : List.of(CLOUDFORMATION, SSM, DYNAMODB, SNS)) {
            Endpoint ours = service.resolve(true, Region.US_EAST_1, null, false, "http://127.0.0.1:5000");
            assertThat(ours.url()).hasToString("http://127.0.0.1:5000");
            assertThat(ours.url()).isEqualTo(service.resolve(false, Region.US_EAST_1, null, false, "http://127.0.0.1:5000").url());
            // The SDK rejects FIPS with a custom endpoint; so do we, by asking it.
            assertThat(attempt(() -> service.resolve(true, Region.US_EAST_1, true, false, "http://127.0.0.1:5000"))).isNull();
        }
    }

    @Test
    void onlyTheCommonCaseSkipsTheRules() {
        AtomicInteger asked = new AtomicInteger();
        BiFunction<Region, Boolean, Endpoint> resolve = (region, fips) -> RegionalEndpoints.resolve("ssm", region, fips,
                false, null, () -> {
                    asked.incrementAndGet();
                    return SsmEndpointProvider.defaultProvider().resolveEndpoint(b -> b.region(region).useFips(fips));
                }).join();

        assertThat(resolve.apply(Region.EU_WEST_1, false).url()).hasToString("https://ssm.eu-west-1.amazonaws.com");
        assertThat(asked).hasValue(0);
        assertThat(resolve.apply(Region.CN_NORTH_1, false).url()).hasToString("https://ssm.cn-north-1.amazonaws.com.cn");
        assertThat(resolve.apply(Region.US_GOV_WEST_1, false).url()).hasToString("https://ssm.us-gov-west-1.amazonaws.com");
        assertThat(resolve.apply(Region.US_EAST_1, true).url()).hasToString("https://ssm-fips.us-east-1.amazonaws.com");
        assertThat(asked).hasValue(3);
    }

    private static Endpoint attempt(java.util.function.Supplier<Endpoint> resolve) {
        try {
            return resolve.get();
        } catch (RuntimeException rulesSayNo) {
            return null;
        }
    }
}
