package com.driftremediator.local;

import com.driftremediator.domain.DesiredRevision;
import com.driftremediator.domain.Diagnoser;
import com.driftremediator.domain.Diagnosis;
import com.driftremediator.domain.HostFacts;
import com.driftremediator.domain.Revision;
import com.driftremediator.domain.Target;
import com.driftremediator.testing.ProjectPaths;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** DiagnoseDocument's script from template.yaml, linted and executed for real against fake instance trees. */
class DiagnoseScriptIT {
    private static final Instant LAUNCH = Instant.parse("2026-11-20T09:11:30Z");
    private static final Instant BOOT_START = Instant.parse("2026-11-20T09:12:03Z");
    private static final String OLD = "3f2a1c9" + "0".repeat(32) + "1";
    private static final String NEW = "194af44" + "1".repeat(33);

    private final DiagnoseScript script = DiagnoseScript.fromTemplate(ProjectPaths.root().resolve("template.yaml"));
    @TempDir
    Path dir;
    private FakeHost host;

    @BeforeEach
    void tree() throws Exception {
        host = new FakeHost(dir);
    }

    @Test
    void passesShellcheckAsPosixSh() throws Exception {
        Path file = dir.resolve("diagnose.sh");
        Files.writeString(file, script.text());
        Process p = new ProcessBuilder(ProjectPaths.venvTool("shellcheck").toString(), "-s", "sh", file.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
    }

    @Test
    void readsAGitCheckoutWithoutHomeAndWithoutTouchingTheIndex() throws Exception {
        String head = host.gitCheckout();
        Files.writeString(host.app.resolve("app.py"), "print('edited on the box')\n");
        Files.setLastModifiedTime(host.app.resolve("app.py"), java.nio.file.attribute.FileTime.from(Instant.now().plusSeconds(5)));
        host.unit("active", BOOT_START);
        host.cloudInitLog(FakeHost.finishedLog());
        if ("root".equals(System.getProperty("user.name"))) {
            // As on EC2: root reads a checkout another user owns, which plain git refuses ("dubious ownership").
            FakeHost.sh(dir, "chown", "-R", "65534", host.app.toString());
        }
        Path index = host.app.resolve(".git/index");
        byte[] indexBefore = Files.readAllBytes(index);
        var mtimeBefore = Files.getLastModifiedTime(index);

        HostFacts facts = HostFacts.parse(script.run(host.parameters(), host.bin));

        assertThat(facts.app().layout()).isEqualTo("git");
        assertThat(facts.app().revision()).isEqualTo(Revision.of(head));
        assertThat(facts.app().modifiedFiles()).containsExactly(" M app.py");
        assertThat(facts.service().found()).isTrue();
        assertThat(facts.service().startedAt()).isEqualTo(BOOT_START);
        assertThat(facts.service().command()).isEqualTo("/home/ec2-user/app/.venv/bin/uvicorn app:app --port 8000");
        assertThat(facts.service().unitFile()).contains("ExecStart=/home/ec2-user/app/.venv/bin/uvicorn");
        assertThat(facts.cloudInit().finished()).isTrue();
        assertThat(facts.cloudInit().errors()).isEmpty();
        assertThat(Files.readAllBytes(index)).isEqualTo(indexBefore);
        assertThat(Files.getLastModifiedTime(index)).isEqualTo(mtimeBefore);
    }

    @Test
    void readsTheCurrentReleaseAndWhenItWasSwitchedIn() throws Exception {
        Instant switched = Instant.parse("2026-11-26T14:05:00Z");
        host.release(NEW, switched);
        host.unit("active", BOOT_START);
        host.cloudInitLog(FakeHost.finishedLog());

        HostFacts facts = HostFacts.parse(script.run(host.parameters(), host.bin));

        assertThat(facts.app().layout()).isEqualTo("release");
        assertThat(facts.app().revision()).isEqualTo(Revision.of(NEW));
        assertThat(facts.app().changedAt()).isEqualTo(switched);
        assertThat(facts.app().resolvedDirectory()).endsWith("releases/" + NEW);
    }

    @Test
    void saysWhenTheUnitAndTheLogAreMissing() throws Exception {
        host.release(OLD, LAUNCH.plusSeconds(30));

        HostFacts facts = HostFacts.parse(script.run(host.parameters(), host.bin));

        assertThat(facts.service().found()).isFalse();
        assertThat(facts.service().loadState()).isEqualTo("not-found");
        assertThat(facts.service().unitFile()).isNull();
        assertThat(facts.cloudInit().logExists()).isFalse();
    }

    @Test
    void boundsItsOutputToWhatGetCommandInvocationReturns() throws Exception {
        host.gitCheckout();
        host.unit("active", BOOT_START);
        StringBuilder huge = new StringBuilder();
        for (int i = 0; i < 400; i++) huge.append("error ").append("x".repeat(5000)).append('\n');
        host.cloudInitLog(huge.toString());
        Map<String, String> params = new HashMap<>(host.parameters());
        params.put("TailLines", "200");

        String out = script.run(params, host.bin);

        assertThat(out.length()).isLessThanOrEqualTo(24_000);
        HostFacts facts = HostFacts.parse(out);
        assertThat(facts.cloudInit().errors()).hasSize(15).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(200));
    }

    @Test
    void refusesARelativeAppDirectory() {
        Map<String, String> params = new HashMap<>(host.parameters());
        params.put("AppDirectory", "home/ec2-user/app");

        assertThatThrownBy(() -> HostFacts.parse(script.run(params, host.bin)))
                .hasMessageContaining("AppDirectory must be an absolute path");
    }

    @Test
    void diagnosesASandboxInstanceStaleSinceBoot() throws Exception {
        host.release(OLD, LAUNCH.plusSeconds(25));
        host.unit("active", BOOT_START);
        host.cloudInitLog(FakeHost.finishedLog());
        Target target = new Target("i-0123456789abcdef0");
        var instance = new LocalDiagnosticSource.Instance(target, LAUNCH,
                "#!/bin/bash\ngit clone https://github.com/example/streamr-p2p.git /home/ec2-user/app\n",
                host.app, FakeHost.UNIT, host.log, host.bin, null, "streamr-p2p-beta",
                BOOT_START.plus(Duration.ofDays(6)),
                new DesiredRevision(Revision.of(NEW), DesiredRevision.Origin.STACK_OUTPUT, "AppRevision"));

        Diagnosis d = new Diagnoser(new LocalDiagnosticSource(instance, script), null).diagnose(target, "streamr-p2p-beta", null);

        assertThat(d.verdict()).isEqualTo(Diagnosis.Verdict.STALE_SINCE_BOOT);
        assertThat(d.explanation()).startsWith("service started at boot 2026-11-20T09:12Z, 6 days before the last stack update")
                .contains("app directory at 3f2a1c9, desired 194af44")
                .contains("UserData installs the app once and nothing updates it");
    }
}
