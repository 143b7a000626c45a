package com.driftremediator.domain;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** How a finished RedeployDocument invocation is classified, by the exit code in its summary. */
class InstanceResultTest {

    @Test
    void aBusyLockAndAFailedFetchAreTransient() {
        assertThat(of(3, "another redeploy holds the lock").transientFailure()).isTrue();
        assertThat(of(4, "cannot fetch the repository").attemptState()).isEqualTo(AttemptState.RETRYABLE);
    }

    @Test
    void anInterruptedRedeployIsRetriedItRestoredThePreviousRelease() {
        InstanceResult r = of(9, "interrupted after the switch: 4c481b4 serves again");

        assertThat(r.transientFailure()).isTrue();
        assertThat(r.attemptState()).isEqualTo(AttemptState.RETRYABLE);
    }

    @Test
    void tooLittleFreeSpaceIsAFailureThatWaitsForAHuman() {
        InstanceResult r = of(10, "only 80 MB free in /home/ec2-user/app.releases, MinFreeMegabytes asks for 512");

        assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(r.transientFailure()).isFalse();
        assertThat(r.attemptState()).isEqualTo(AttemptState.FAILED);
        assertThat(r.reason()).contains("MinFreeMegabytes");
    }

    private static InstanceResult of(int exitCode, String message) {
        Revision rev = VerdictTest.NEW;
        String stdout = "{\"result\":\"failed\",\"revision\":\"" + rev.sha() + "\",\"previous\":\"\",\"serving\":\"\","
                + "\"message\":\"" + message + "\",\"exitCode\":" + exitCode + ",\"durationMs\":12}\n";
        CommandRunner.CommandResult result = new CommandRunner.CommandResult(rev, Optional.empty(),
                List.of("i-0d1f7e5a5b0c0ffee"), "Failed", "Failed", stdout, "");
        return InstanceResult.of(result, RedeploySummary.parse(stdout));
    }
}
