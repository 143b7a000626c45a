package com.driftremediator.domain;

import com.driftremediator.cli.Template;
import com.driftremediator.local.SsmDocument;
import com.driftremediator.testing.ProjectPaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class RepositoryUrlTest {
    private static final String TOKEN = "ghs_16C7e42F292c6912E7710c838347Ae178B4a";

    @ParameterizedTest
    @ValueSource(strings = {"https://github.com/example/streamr-p2p.git", "https://github.com/o/r", "https://git.example.com:8443/team/app.git/",
            "https://git-codecommit.eu-west-1.amazonaws.com/v1/repos/streamr-p2p", "ssh://git@github.com/o/r.git",
            "ssh://github.com:22/o/r", "git@github.com:o/r.git", "file:///srv/git/app.git",
            "codecommit::eu-west-1://streamr-p2p", "codecommit://streamr-p2p", "s3://streamr-p2p-bundles/beta",
            "s3://streamr-p2p-bundles"})
    void takesTheRemotesTeamsUse(String url) {
        assertThat(RepositoryUrl.isAllowed(url)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://x-access-token:" + TOKEN + "@github.com/o/r.git", "https://" + TOKEN + "@github.com/o/r.git",
            "https://octocat@github.com/o/r", "ssh://git:hunter2@github.com/o/r.git", "file://user@/srv/git/app.git",
            "https://github.com/o/r.git?access_token=" + TOKEN, "https://github.com/o/r#x", "http://github.com/o/r",
            "ext::sh -c touch% /tmp/pwned", "fd::17", "-oProxyCommand=touch /tmp/pwned", "git@-oProxyCommand:o/r",
            "git@github.com:-u/r", "https://-github.com/o/r", "https://github.com", "https://github.com/o r", "", "codecommit://",
            "s3://Bundles_Bucket/x", "s3://bucket/x?versionId=1", "s3://", "s3://bucket/prefix/"})
    void refusesCredentialsOptionsAndOtherTransports(String url) {
        assertThat(RepositoryUrl.isAllowed(url)).isFalse();
    }

    @ParameterizedTest
    @CsvSource({
            "https://x-access-token:" + TOKEN + "@github.com/o/r.git, https://github.com/o/r.git",
            "https://github.com/o/r.git?access_token=" + TOKEN + "#top, https://github.com/o/r.git",
            "ssh://git:hunter2@github.com:22/o/r.git, ssh://github.com:22/o/r.git",
            "git@github.com:o/r.git, github.com:o/r.git",
            "file:///srv/git/app.git, file:///srv/git/app.git",
            "not a url " + TOKEN + ", (not a URL)"})
    void whatPeopleSeeIsSchemeHostAndPathOnly(String url, String shown) {
        assertThat(RepositoryUrl.publicForm(url)).isEqualTo(shown).doesNotContain(TOKEN).doesNotContain("hunter2");
    }

    @Test
    void theTemplateAndTheRedeployDocumentAllowExactlyThisPattern() {
        SsmDocument redeploy = SsmDocument.fromTemplate(ProjectPaths.root().resolve("template.yaml"), "RedeployDocument");
        assertThat(redeploy.parameters().get("RepositoryUrl").allowedPattern().pattern()).isEqualTo(RepositoryUrl.PATTERN);
        assertThat(redeploy.script()).contains("param RepositoryUrl \"$url\" '" + RepositoryUrl.PATTERN + "'");
        assertThat(Template.read(ProjectPaths.root().resolve("template.yaml")).parameter("RepositoryUrl"))
                .containsEntry("AllowedPattern", RepositoryUrl.PATTERN);
    }
}
