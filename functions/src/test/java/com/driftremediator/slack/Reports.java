package com.driftremediator.slack;

import com.driftremediator.domain.Outcome;
import com.driftremediator.domain.Report;
import com.driftremediator.domain.Revision;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Sample reports, as CommandResultFunction publishes them. */
public final class Reports {
    public static final Revision DESIRED = Revision.of("194af44d2c3b5a6e7f8091a2b3c4d5e6f7a8b9c0");
    public static final Revision PREVIOUS = Revision.of("3f2a1c9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a");
    public static final String COMMAND_ID = "7f8e9d0c-1b2a-4c3d-8e4f-5a6b7c8d9e0f";
    public static final RenderContext CONTEXT = new RenderContext("https://github.com/example/streamr-p2p.git",
            "http://streamr-prod-alb-123456789.eu-west-1.elb.amazonaws.com/streams", "eu-west-1");

    /** As SnsNotifier adds them: short keys, the command's console page and its CloudWatch output. */
    public static final Map<String, String> LINKS = Map.of(
            "command", "https://eu-west-1.console.aws.amazon.com/systems-manager/run-command/" + COMMAND_ID + "?region=eu-west-1",
            "logs", "https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#logsV2:log-groups/log-group/"
                    + "$252Fdrift-remediator$252Fprod$252Fredeploy$3FlogStreamNameFilter$3D" + COMMAND_ID);

    private Reports() {
    }

    public static Report report(Outcome outcome) {
        boolean finished = outcome != Outcome.STARTED;
        String reason = switch (outcome) {
            case STARTED, REMEDIATED, NOOP -> "served 3f2a1c9 since boot, stack updated 2 h ago. UserData never ran again.";
            case SKIPPED -> "194af44 failed on 2026-11-27 at 14:04 and is not retried automatically";
            case ROLLED_BACK -> "health check failed 60 s after the switch to 194af44: /health answered 502";
            case FAILED -> "pip install failed: requirements.txt pins uvloop==0.99 & no wheel matches <py3.12>";
            case TIMED_OUT -> "no result within PT1H";
            case UNREACHABLE -> "SSM status Undeliverable (the agent did not answer)";
        };
        String diagnosis = switch (outcome) {
            case FAILED, ROLLED_BACK, UNREACHABLE, TIMED_OUT ->
                    "service streamr-app started 2026-11-20 09:12 at boot; stack updated 2026-11-27 14:03\n"
                            + "cloud-init-output.log: ERROR: No matching distribution found for uvloop==0.99\n"
                            + "app directory at 3f2a1c9, desired 194af44: code was never updated after boot";
            default -> null;
        };
        return new Report("prod", "streamr-p2p-prod", List.of("i-0a1b2c3d4e5f60718", "i-0fedcba9876543210"),
                DESIRED, PREVIOUS, "stack output AppRevision", reason, outcome, COMMAND_ID,
                Instant.parse("2026-11-27T14:03:00Z"), finished ? Instant.parse("2026-11-27T14:04:12Z") : null,
                finished ? LINKS : Map.of(), diagnosis);
    }
}
