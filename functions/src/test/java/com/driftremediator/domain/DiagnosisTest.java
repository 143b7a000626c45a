package com.driftremediator.domain;

import com.driftremediator.domain.Diagnosis.Verdict;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** One test per verdict, and the plain-words explanation for each. */
class DiagnosisTest {
    static final Target TARGET = new Target("i-0123456789abcdef0");
    static final Instant LAUNCH = Instant.parse("2026-11-20T09:11:30Z");
    static final Instant BOOT_START = Instant.parse("2026-11-20T09:12:03Z");
    static final Instant STACK_UPDATE = Instant.parse("2026-11-26T14:03:00Z");
    static final Revision OLD = Revision.of("3f2a1c9" + "0".repeat(32) + "1");
    static final Revision NEW = Revision.of("194af44" + "1".repeat(33));
    static final String USER_DATA = Base64.getEncoder().encodeToString(
            "#!/bin/bash\ngit clone https://github.com/example/streamr-p2p.git /home/ec2-user/app\n".getBytes(StandardCharsets.UTF_8));
    static final InstanceFacts.Ssm ONLINE = new InstanceFacts.Ssm(true, "Online", "3.3.987.0", STACK_UPDATE);

    static InstanceFacts running() {
        return new InstanceFacts(TARGET, "running", LAUNCH, "arn:aws:iam::123456789012:instance-profile/app",
                Map.of(), USER_DATA, ONLINE);
    }

    static HostFacts.App release(Revision r, Instant changedAt) {
        return new HostFacts.App("/home/ec2-user/app", "release", "/home/ec2-user/app.releases/releases/" + r.sha(), r,
                changedAt, List.of());
    }

    static HostFacts.Service service(String state, Instant startedAt, Revision served) {
        return new HostFacts.Service("streamr-app", true, "loaded", state, "active".equals(state) ? "running" : "failed",
                "Fri 2026-11-20 09:12:03 UTC", startedAt, "{ path=/x ; argv[]=/usr/bin/python3 -m uvicorn app:app ; }",
                "/home/ec2-user/app", "/etc/systemd/system/streamr-app.service", "[Service]\n", null, null, served);
    }

    static HostFacts.CloudInit finished() {
        return new HostFacts.CloudInit("/var/log/cloud-init-output.log", true, "Cloud-init v. 22.2.2 finished at ...",
                List.of(), "tail\n");
    }

    static HostFacts host(HostFacts.App app, HostFacts.Service svc, HostFacts.CloudInit ci) {
        return new HostFacts(app, svc, ci, STACK_UPDATE.plus(Duration.ofDays(1)));
    }

    static Diagnosis diagnose(InstanceFacts i, HostFacts h, Revision desired) {
        DesiredRevision d = desired == null ? null : new DesiredRevision(desired, DesiredRevision.Origin.STACK_OUTPUT, "AppRevision");
        return Diagnosis.of(new Diagnosis.Facts(i, "streamr-p2p-beta", STACK_UPDATE, d,
                UserData.decode(i.userDataBase64()), h, h == null ? "command ended Failed" : null));
    }

    @Test
    void staleSinceBootWhenTheAppDirectoryStillHoldsWhatUserDataInstalled() {
        Diagnosis d = diagnose(running(), host(release(OLD, LAUNCH.plusSeconds(25)),
                service("active", BOOT_START, null), finished()), NEW);

        assertThat(d.verdict()).isEqualTo(Verdict.STALE_SINCE_BOOT);
        assertThat(d.explanation()).isEqualTo("service started at boot 2026-11-20T09:12Z, 6 days before the last stack "
                + "update (2026-11-26T14:03Z); app directory at 3f2a1c9, desired 194af44 (stack output AppRevision); "
                + "UserData installs the app once and nothing updates it.");
    }

    @Test
    void staleSinceBootWithoutADesiredRevisionWhenTheStackChangedAfterBoot() {
        Diagnosis d = diagnose(running(), host(release(OLD, LAUNCH.plusSeconds(25)),
                service("active", BOOT_START, null), finished()), null);

        assertThat(d.verdict()).isEqualTo(Verdict.STALE_SINCE_BOOT);
        assertThat(d.explanation()).contains("unchanged since boot (no desired revision known to compare with)");
    }

    @Test
    void staleSinceBootSaysWhenThereIsNoUserDataAndMentionsHandEdits() {
        InstanceFacts noUserData = new InstanceFacts(TARGET, "running", LAUNCH, "profile", Map.of(), null, ONLINE);
        HostFacts.App checkout = new HostFacts.App("/home/ec2-user/app", "git", "/home/ec2-user/app", OLD, null,
                List.of(" M app.py"));

        Diagnosis d = diagnose(noUserData, host(checkout, service("active", BOOT_START, null), finished()), NEW);

        assertThat(d.verdict()).isEqualTo(Verdict.STALE_SINCE_BOOT);
        assertThat(d.explanation()).contains("the instance has no UserData, so the app came from the image")
                .endsWith("1 file(s) edited in place in the app directory: M app.py.");
    }

    @Test
    void codeStaleWhenAnOlderRevisionWasSwitchedInAfterBoot() {
        Instant rollback = STACK_UPDATE.plusSeconds(120);
        Diagnosis d = diagnose(running(), host(release(OLD, rollback), service("active", rollback.plusSeconds(1), null),
                finished()), NEW);

        assertThat(d.verdict()).isEqualTo(Verdict.CODE_STALE);
        assertThat(d.explanation()).contains("it changed at 2026-11-26T14:05Z, after boot").contains("rollback");
    }

    @Test
    void codeStaleWhenTheSwitchFollowedTheStackUpdateEvenSoonAfterBoot() {
        Instant launch = STACK_UPDATE.minusSeconds(60);
        InstanceFacts fresh = new InstanceFacts(TARGET, "running", launch, "p", Map.of(), USER_DATA, ONLINE);
        Instant rollback = STACK_UPDATE.plusSeconds(20);

        Diagnosis d = diagnose(fresh, host(release(OLD, rollback), service("active", rollback.plusSeconds(1), null),
                finished()), NEW);

        assertThat(d.verdict()).isEqualTo(Verdict.CODE_STALE);
    }

    @Test
    void codeUpdatedNotRestartedWhenTheReleaseWasSwitchedInAfterTheProcessStarted() {
        Diagnosis d = diagnose(running(), host(release(NEW, STACK_UPDATE.plusSeconds(60)),
                service("active", BOOT_START, null), finished()), NEW);

        assertThat(d.verdict()).isEqualTo(Verdict.CODE_UPDATED_NOT_RESTARTED);
        assertThat(d.explanation()).isEqualTo("app directory at 194af44 changed at 2026-11-26T14:04Z, after the service "
                + "started at 2026-11-20T09:12Z: the process still runs the code it loaded before; restart streamr-app.");
    }

    @Test
    void codeUpdatedNotRestartedWhenTheServiceReportsAnotherRevision() {
        Diagnosis d = diagnose(running(), host(release(NEW, null), service("active", BOOT_START, OLD), finished()), NEW);

        assertThat(d.verdict()).isEqualTo(Verdict.CODE_UPDATED_NOT_RESTARTED);
        assertThat(d.explanation()).startsWith("app directory at 194af44 (desired), but the service still runs 3f2a1c9");
    }

    @Test
    void healthyCurrentWhenTheDesiredRevisionIsOnDiskAndRunning() {
        Instant switched = STACK_UPDATE.plusSeconds(60);
        Diagnosis d = diagnose(running(), host(release(NEW, switched), service("active", switched.plusSeconds(1), NEW),
                finished()), NEW);

        assertThat(d.verdict()).isEqualTo(Verdict.HEALTHY_CURRENT);
        assertThat(d.explanation()).isEqualTo("running 194af44 (stack output AppRevision); service started 2026-11-26T14:04Z.");
    }

    @Test
    void setupFailedWhenTheUnitIsMissingAndCloudInitReportedErrors() {
        HostFacts.Service missing = new HostFacts.Service("streamr-app", true, "not-found", "inactive", "dead", null,
                null, null, null, null, null, null, null, null);
        HostFacts.CloudInit errors = new HostFacts.CloudInit("/var/log/cloud-init-output.log", true,
                "Cloud-init v. 22.2.2 finished at ...", List.of("3:ERROR: Could not find a version that satisfies fastapi==0.999"), "");

        Diagnosis d = diagnose(running(), host(release(OLD, LAUNCH), missing, errors), NEW);

        assertThat(d.verdict()).isEqualTo(Verdict.SETUP_FAILED);
        assertThat(d.explanation()).isEqualTo("Unit streamr-app is not installed (LoadState=not-found); cloud-init "
                + "finished, its log shows 1 error line(s), last: 3:ERROR: Could not find a version that satisfies fastapi==0.999.");
    }

    @Test
    void setupFailedWhenTheAppDirectoryIsMissingAndTheLogToo() {
        HostFacts.App none = new HostFacts.App("/home/ec2-user/app", "missing", null, null, null, List.of());
        HostFacts.CloudInit noLog = new HostFacts.CloudInit("/var/log/cloud-init-output.log", false, null, List.of(), null);
        InstanceFacts noUserData = new InstanceFacts(TARGET, "running", LAUNCH, "profile", Map.of(), null, ONLINE);

        Diagnosis d = diagnose(noUserData, host(none, service("active", BOOT_START, null), noLog), NEW);

        assertThat(d.verdict()).isEqualTo(Verdict.SETUP_FAILED);
        assertThat(d.explanation()).isEqualTo("App directory /home/ec2-user/app does not exist; cloud-init log "
                + "/var/log/cloud-init-output.log is missing (cloud-init never ran, or another log). The instance has no UserData.");
    }

    @Test
    void serviceDownWhenTheUnitFailed() {
        Diagnosis d = diagnose(running(), host(release(NEW, LAUNCH), service("failed", BOOT_START, null), finished()), NEW);

        assertThat(d.verdict()).isEqualTo(Verdict.SERVICE_DOWN);
        assertThat(d.explanation()).startsWith("service streamr-app is failed (failed), ExecStart /usr/bin/python3 -m uvicorn app:app");
    }

    @Test
    void notRunningWhenStoppedTerminatedOrNotFound() {
        InstanceFacts stopped = new InstanceFacts(TARGET, "stopped", LAUNCH, null, Map.of(), USER_DATA, InstanceFacts.Ssm.NOT_MANAGED);
        InstanceFacts terminated = new InstanceFacts(TARGET, "terminated", LAUNCH, null, Map.of(), null, InstanceFacts.Ssm.NOT_MANAGED);

        assertThat(diagnose(stopped, null, NEW).explanation())
                .isEqualTo("instance is stopped (launched 2026-11-20T09:11Z): start it, or let the stack replace it; nothing serves from it meanwhile.");
        assertThat(diagnose(terminated, null, NEW).verdict()).isEqualTo(Verdict.NOT_RUNNING);
        assertThat(diagnose(terminated, null, NEW).explanation()).contains("it is gone");
        Diagnosis missing = diagnose(InstanceFacts.notFound(TARGET), null, NEW);
        assertThat(missing.verdict()).isEqualTo(Verdict.NOT_RUNNING);
        assertThat(missing.explanation()).contains("was not found");
    }

    @Test
    void unreachableWithTheLikelyCause() {
        InstanceFacts noProfile = new InstanceFacts(TARGET, "running", LAUNCH, null, Map.of(), USER_DATA, InstanceFacts.Ssm.NOT_MANAGED);
        InstanceFacts withProfile = new InstanceFacts(TARGET, "running", LAUNCH, "arn:aws:iam::1:instance-profile/app",
                Map.of(), USER_DATA, InstanceFacts.Ssm.NOT_MANAGED);
        InstanceFacts lost = new InstanceFacts(TARGET, "running", LAUNCH, "p", Map.of(), USER_DATA,
                new InstanceFacts.Ssm(true, "ConnectionLost", "3.3.987.0", STACK_UPDATE));

        assertThat(diagnose(noProfile, null, NEW).verdict()).isEqualTo(Verdict.UNREACHABLE);
        assertThat(diagnose(noProfile, null, NEW).explanation()).contains("no instance profile").contains("AmazonSSMManagedInstanceCore");
        assertThat(diagnose(withProfile, null, NEW).explanation()).contains("lacks AmazonSSMManagedInstanceCore")
                .contains("agent is not installed or stopped");
        assertThat(diagnose(lost, null, NEW).explanation()).startsWith("the SSM agent is ConnectionLost since 2026-11-26T14:03Z");
        assertThat(diagnose(running(), null, NEW).explanation()).isEqualTo("the diagnostic command did not answer: command ended Failed.");
    }

    @Test
    void unknownWithoutADesiredRevisionOrARevisionOnDisk() {
        HostFacts.App plain = new HostFacts.App("/home/ec2-user/app", "plain", "/home/ec2-user/app", null, null, List.of());
        Instant restarted = STACK_UPDATE.plusSeconds(600);

        Diagnosis noRevision = diagnose(running(), host(plain, service("active", BOOT_START, null), finished()), NEW);
        Diagnosis noDesired = diagnose(running(), host(release(OLD, STACK_UPDATE.plusSeconds(1)),
                service("active", restarted, null), finished()), null);

        assertThat(noRevision.verdict()).isEqualTo(Verdict.UNKNOWN);
        assertThat(noRevision.explanation()).startsWith("the app directory has no REVISION file and is not a git checkout (layout plain)");
        assertThat(noDesired.verdict()).isEqualTo(Verdict.UNKNOWN);
        assertThat(noDesired.explanation()).startsWith("no desired revision is known to compare with");
    }

    @Test
    void aHealthyInstanceStillMentionsAMissingCloudInitLog() {
        HostFacts.CloudInit noLog = new HostFacts.CloudInit("/var/log/cloud-init-output.log", false, null, List.of(), null);
        Diagnosis d = diagnose(running(), host(release(NEW, LAUNCH), service("active", BOOT_START, NEW), noLog), NEW);

        assertThat(d.verdict()).isEqualTo(Verdict.HEALTHY_CURRENT);
        assertThat(d.explanation()).endsWith(" The cloud-init log /var/log/cloud-init-output.log is missing.");
    }
}
