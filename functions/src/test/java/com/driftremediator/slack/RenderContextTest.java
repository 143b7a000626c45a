package com.driftremediator.slack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RenderContextTest {

    @ParameterizedTest
    @ValueSource(strings = {"https://github.com/o/r", "https://github.com/o/r.git", "https://github.com/o/r/",
            "git@github.com:o/r.git", "ssh://git@github.com/o/r.git", "ssh://git@github.com:22/o/r"})
    void commonRemotesLinkToTheCommitPage(String remote) {
        assertThat(new RenderContext(remote, null, null).commitUrl(Reports.DESIRED))
                .contains("https://github.com/o/r/commit/" + Reports.DESIRED.sha());
    }

    @ParameterizedTest
    @CsvSource({"https://git-codecommit.us-east-2.amazonaws.com/v1/repos/app, eu-west-1, us-east-2",
            "https://git-codecommit-fips.us-east-2.amazonaws.com/v1/repos/app, eu-west-1, us-east-2",
            "codecommit::us-east-2://app, eu-west-1, us-east-2", "codecommit://app, eu-west-1, eu-west-1"})
    void aCodeCommitRepositoryLinksToItsCommitPageInTheConsole(String remote, String stackRegion, String region) {
        assertThat(new RenderContext(remote, null, stackRegion).commitUrl(Reports.DESIRED)).contains("https://" + region
                + ".console.aws.amazon.com/codesuite/codecommit/repositories/app/commit/" + Reports.DESIRED.sha()
                + "?region=" + region);
    }

    @Test
    void codecommitWithoutARegionOrInChinaGivesNoLink() {
        assertThat(new RenderContext("codecommit://app", null, null).commitUrl(Reports.DESIRED)).isEmpty();
        assertThat(new RenderContext("https://git-codecommit.cn-north-1.amazonaws.com.cn/v1/repos/app", null, "cn-north-1")
                .commitUrl(Reports.DESIRED)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/srv/git/app.git", "file:///srv/git/app.git", "javascript:alert(1)", "https://x/a b"})
    void localOrOddRemotesGiveNoLink(String remote) {
        assertThat(new RenderContext(remote, null, null).commitUrl(Reports.DESIRED)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://x-access-token:ghs_16C7e42F292c6912E7710c838347Ae178B4a@github.com/o/r.git",
            "https://octocat@github.com/o/r", "ssh://git:hunter2@github.com/o/r.git"})
    void aRemoteWithCredentialsInItNeverBecomesALink(String remote) {
        assertThat(new RenderContext(remote, null, null).commitUrl(Reports.DESIRED)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"eu-west-1, 7f8e9d0c-1b2a-4c3d-8e4f-5a6b7c8d9e0f, true", ", 7f8e9d0c-1b2a-4c3d-8e4f-5a6b7c8d9e0f, false",
            "eu-west-1, sandbox-1, false", "eu-west-1, , false"})
    void theCommandOutputLinkNeedsARegionAndAnSsmCommandId(String region, String commandId, boolean linked) {
        assertThat(new RenderContext(null, null, region).commandUrl(commandId).isPresent()).isEqualTo(linked);
    }

    @Test
    void readsItsSettingsFromTheFunctionEnvironment() {
        RenderContext c = RenderContext.fromEnvironment(Map.of("REPOSITORY_URL", "https://github.com/o/r",
                "LOAD_BALANCER_URL", "http://alb.example.com/", "AWS_REGION", "eu-west-1"));
        assertThat(c).isEqualTo(new RenderContext("https://github.com/o/r", "http://alb.example.com/", "eu-west-1"));
        assertThat(RenderContext.fromEnvironment(Map.of()).loadBalancer()).isEmpty();
    }
}
