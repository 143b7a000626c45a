package com.driftremediator.handler;

import com.driftremediator.aws.AwsClients;
import com.driftremediator.aws.Settings;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Map;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AwsWiringTest {
    private static final String TOKEN = "ghs_16C7e42F292c6912E7710c838347Ae178B4a";

    @Test
    void aRepositoryUrlWithATokenInItIsNeverSentAndNeverPrintedWhole() {
        AwsWiring wiring = new AwsWiring(new Settings(Map.of("ENVIRONMENT", "beta", "APP_STACK_NAME", "streamr-p2p-beta",
                "REDEPLOY_DOCUMENT", "drift-remediator-redeploy",
                "REPOSITORY_URL", "https://x-access-token:" + TOKEN + "@github.com/example/streamr-p2p.git")),
                new AwsClients(Region.EU_WEST_1, StaticCredentialsProvider.create(AwsBasicCredentials.create("k", "s")),
                        URI.create("http://127.0.0.1:9")));

        assertThatThrownBy(wiring::runner).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("https://github.com/example/streamr-p2p.git is refused")
                .hasMessageNotContaining(TOKEN);
    }
}
