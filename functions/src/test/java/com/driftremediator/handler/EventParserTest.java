package com.driftremediator.handler;

import com.driftremediator.domain.Revision;
import com.driftremediator.domain.Trigger;
import com.driftremediator.testing.ProjectPaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;

import static org.assertj.core.api.Assertions.assertThat;

class EventParserTest {
    private static final Revision PUSHED = Revision.of("194af44c0d5e3b2a1f0e9d8c7b6a5f4e3d2c1b0a");
    private final EventParser parser = new EventParser(new EventParser.Config("streamr-p2p-beta", "main",
            "example/streamr-p2p", "streamr-p2p", "drift-remediator-redeploy"));

    static String fixture(String name) {
        try {
            return Files.readString(ProjectPaths.root().resolve("events").resolve(name));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"cloudformation-update-complete.json", "cloudformation-create-complete.json"})
    void completeStatusOfTheAppStackStartsACheckWithoutARevision(String name) {
        EventParser.Parsed p = parser.driftCheck(fixture(name));

        assertThat(p).isInstanceOfSatisfying(EventParser.Check.class, c -> {
            assertThat(c.trigger().kind()).isEqualTo(Trigger.Kind.STACK_COMPLETE);
            assertThat(c.trigger().revision()).isNull();
            assertThat(c.trigger().detail()).contains("streamr-p2p-beta");
        });
    }

    @Test
    void rollbackAndInProgressStatusesAreIgnoredWithTheStatus() {
        assertThat(parser.driftCheck(fixture("cloudformation-update-rollback-complete.json")))
                .isEqualTo(new EventParser.Ignored("stack streamr-p2p-beta status UPDATE_ROLLBACK_COMPLETE does not start a check"));
        assertThat(parser.driftCheck(fixture("cloudformation-update-in-progress.json")))
                .isInstanceOfSatisfying(EventParser.Ignored.class, i -> assertThat(i.reason()).contains("UPDATE_IN_PROGRESS"));
    }

    @Test
    void anotherStackIsIgnoredByNameFromTheStackArn() {
        assertThat(parser.driftCheck(fixture("cloudformation-other-stack.json")))
                .isEqualTo(new EventParser.Ignored("stack billing-service-prod is not streamr-p2p-beta"));
    }

    @Test
    void aStackWhoseNameOnlyStartsLikeOursIsNotOurs() {
        String json = fixture("cloudformation-update-complete.json").replace("stack/streamr-p2p-beta/", "stack/streamr-p2p-beta-2/");
        assertThat(parser.driftCheck(json)).isInstanceOf(EventParser.Ignored.class);
    }

    @Test
    void gitPushOnTheFollowedBranchNamesTheAfterSha() {
        assertThat(parser.driftCheck(fixture("git-push-event.json"))).isInstanceOfSatisfying(EventParser.Check.class, c -> {
            assertThat(c.trigger().kind()).isEqualTo(Trigger.Kind.GIT_PUSH);
            assertThat(c.trigger().revision()).isEqualTo(PUSHED);
            assertThat(c.trigger().detail()).isEqualTo("push to example/streamr-p2p main by octocat");
        });
    }

    @Test
    void gitPushToAnotherBranchOrRepositoryIsIgnored() {
        assertThat(parser.driftCheck(fixture("git-push-other-branch-event.json")))
                .isEqualTo(new EventParser.Ignored("push to branch feature/live, not main"));
        assertThat(parser.driftCheck(fixture("git-push-event.json").replace("example/streamr-p2p\"", "other/repo\"")))
                .isEqualTo(new EventParser.Ignored("push to repository other/repo, not example/streamr-p2p"));
    }

    @Test
    void gitPushWithTheZeroShaIsIgnored() {
        String deletion = fixture("git-push-event.json").replace(PUSHED.sha(), "0".repeat(40));
        assertThat(parser.driftCheck(deletion)).isInstanceOfSatisfying(EventParser.Ignored.class,
                i -> assertThat(i.reason()).contains("after"));
    }

    @Test
    void codeCommitReferenceUpdateOfTheFollowedBranchNamesTheCommit() {
        assertThat(parser.driftCheck(fixture("codecommit-reference-updated.json")))
                .isInstanceOfSatisfying(EventParser.Check.class, c -> {
                    assertThat(c.trigger().kind()).isEqualTo(Trigger.Kind.GIT_PUSH);
                    assertThat(c.trigger().revision()).isEqualTo(PUSHED);
                });
        assertThat(parser.driftCheck(fixture("codecommit-reference-updated.json").replace("\"referenceName\": \"main\"",
                "\"referenceName\": \"dev\""))).isInstanceOf(EventParser.Ignored.class);
        EventParser noCodeCommit = new EventParser(new EventParser.Config("streamr-p2p-beta", "main", null, null, "d"));
        assertThat(noCodeCommit.driftCheck(fixture("codecommit-reference-updated.json")))
                .isEqualTo(new EventParser.Ignored("CodeCommit repository streamr-p2p is not followed"));
    }

    @Test
    void scheduleAndManualStartChecks() {
        assertThat(parser.driftCheck(fixture("schedule.json"))).isInstanceOfSatisfying(EventParser.Check.class,
                c -> assertThat(c.trigger().kind()).isEqualTo(Trigger.Kind.SCHEDULE));
        assertThat(parser.driftCheck(fixture("manual-check.json"))).isInstanceOfSatisfying(EventParser.Check.class,
                c -> assertThat(c.trigger()).isEqualTo(new Trigger(Trigger.Kind.MANUAL, null, "manual check")));
        assertThat(parser.driftCheck(fixture("manual-retry.json"))).isInstanceOfSatisfying(EventParser.Check.class,
                c -> assertThat(c.trigger()).isEqualTo(new Trigger(Trigger.Kind.RETRY, null, "operator retry")));
        assertThat(parser.driftCheck("{\"action\":\"check\",\"revision\":\"" + PUSHED.sha() + "\"}"))
                .isInstanceOfSatisfying(EventParser.Check.class, c -> assertThat(c.trigger().revision()).isEqualTo(PUSHED));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "null", "[]", "42", "{", "{}", "{\"action\":\"deploy\"}",
            "{\"source\":\"aws.ec2\",\"detail-type\":\"EC2 Instance State-change Notification\"}",
            "{\"source\":\"aws.cloudformation\",\"detail-type\":\"CloudFormation Stack Status Change\",\"detail\":42}",
            "{\"action\":\"check\",\"revision\":\"$(reboot)\"}"})
    void malformedOrUnknownEventsAreIgnoredWithAReason(String json) {
        assertThat(parser.driftCheck(json)).isInstanceOfSatisfying(EventParser.Ignored.class,
                i -> assertThat(i.reason()).isNotBlank());
        assertThat(parser.commandResult(json)).isInstanceOf(EventParser.Ignored.class);
    }

    @Test
    void finishedInvocationsOfRedeployDocumentAreResults() {
        assertThat(parser.commandResult(fixture("ssm-command-invocation-success.json")))
                .isInstanceOfSatisfying(EventParser.Result.class, r -> {
                    assertThat(r.commandId()).isEqualTo("e8d3c0e4-71f7-4491-898f-c9b35bee5f3b");
                    assertThat(r.target().instanceId()).isEqualTo("i-0abc1234def567890");
                    assertThat(r.status()).isEqualTo("Success");
                });
        assertThat(parser.commandResult(fixture("ssm-command-invocation-failed.json")))
                .isInstanceOfSatisfying(EventParser.Result.class, r -> assertThat(r.status()).isEqualTo("Failed"));
    }

    @Test
    void unfinishedInvocationsAndOtherDocumentsAreIgnored() {
        assertThat(parser.commandResult(fixture("ssm-command-invocation-in-progress.json")))
                .isEqualTo(new EventParser.Ignored("invocation not finished: InProgress"));
        assertThat(parser.commandResult(fixture("ssm-command-invocation-other-document.json")))
                .isEqualTo(new EventParser.Ignored("document AWS-RunShellScript is not drift-remediator-redeploy"));
        assertThat(parser.commandResult(fixture("cloudformation-update-complete.json")))
                .isInstanceOf(EventParser.Ignored.class);
    }
}
