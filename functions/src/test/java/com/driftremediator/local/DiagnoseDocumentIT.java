package com.driftremediator.local;

import com.driftremediator.domain.DesiredRevision;
import com.driftremediator.domain.Diagnoser;
import com.driftremediator.domain.Diagnosis;
import com.driftremediator.domain.HostFacts;
import com.driftremediator.domain.Revision;
import com.driftremediator.testing.ProjectPaths;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * DiagnoseDocument from template.yaml, run for real by a sandbox instance's agent on states the product made:
 * an instance before its first boot, and one that UserData provisioned.
 */
class DiagnoseDocumentIT {
    private static final SsmDocument DOCUMENT =
            SsmDocument.fromTemplate(ProjectPaths.root().resolve("template.yaml"), "DiagnoseDocument");

    /** Not @TempDir: its clean-up warns about every venv link to the system python. */
    private Path tmp;
    private Sandbox sandbox;
    private Revision v1;

    @BeforeEach
    void instance() throws IOException {
        tmp = Files.createTempDirectory("diagnose-it-");
        sandbox = Sandbox.create(tmp.resolve("sandbox"), ProjectPaths.root().resolve("examples/streamr-app"));
        v1 = sandbox.repository().revision("v1");
    }

    @AfterEach
    void stopProcesses() throws IOException {
        sandbox.close();
        SampleRepository.clear(tmp);
    }

    @Test
    void readsTheCheckoutOfUserDataWithoutHomeAndWithoutTouchingTheIndex() throws Exception {
        Instant booted = Instant.now().minusSeconds(1);
        sandbox.provision(v1);
        Path app = sandbox.appDirectory();
        Files.writeString(app.resolve("app.py"), "# edited on the box\n", StandardOpenOption.APPEND);
        Files.setLastModifiedTime(app.resolve("app.py"), FileTime.from(Instant.now().plusSeconds(5)));
        if ("root".equals(System.getProperty("user.name"))) {
            // As on EC2: root reads a checkout another user owns, which plain git refuses ("dubious ownership").
            Processes.run(new ProcessBuilder("chown", "-R", "65534", app.toString()), Duration.ofSeconds(30));
        }
        Path index = app.resolve(".git/index");
        byte[] indexBefore = Files.readAllBytes(index);
        FileTime mtimeBefore = Files.getLastModifiedTime(index);

        HostFacts facts = HostFacts.parse(diagnose(DOCUMENT.resolve(sandbox.diagnoseParameters())).stdout());

        assertThat(facts.app().layout()).isEqualTo("git");
        assertThat(facts.app().revision()).isEqualTo(v1);
        assertThat(facts.app().modifiedFiles()).containsExactly(" M app.py");
        assertThat(facts.service().found()).isTrue();
        assertThat(facts.service().active()).isTrue();
        assertThat(facts.service().startedAt()).isBetween(booted, Instant.now());
        assertThat(facts.service().command()).isEqualTo(app + "/.venv/bin/python app.py");
        assertThat(facts.service().unitFile()).contains("ExecStart=" + app + "/.venv/bin/python app.py");
        assertThat(facts.service().processRevision()).as("the process works in the checkout").isEqualTo(v1);
        assertThat(facts.service().served()).isEqualTo(v1);
        assertThat(facts.cloudInit().finished()).isTrue();
        assertThat(facts.cloudInit().errors()).isEmpty();
        assertThat(Files.readAllBytes(index)).isEqualTo(indexBefore);
        assertThat(Files.getLastModifiedTime(index)).isEqualTo(mtimeBefore);
    }

    @Test
    void beforeTheFirstBootSaysTheAppTheUnitAndTheLogAreMissing() {
        Agent.Invocation run = diagnose(DOCUMENT.resolve(sandbox.diagnoseParameters()));

        HostFacts facts = HostFacts.parse(run.stdout());
        assertThat(run.status()).isEqualTo("Success");
        assertThat(facts.app().exists()).isFalse();
        assertThat(facts.service().found()).isFalse();
        assertThat(facts.service().loadState()).isEqualTo("not-found");
        assertThat(facts.service().unitFile()).isNull();
        assertThat(facts.cloudInit().logExists()).isFalse();
    }

    @Test
    void boundsItsOutputToWhatGetCommandInvocationReturns() throws Exception {
        sandbox.provision(v1);
        StringBuilder huge = new StringBuilder();
        for (int i = 0; i < 400; i++) huge.append("error ").append("x".repeat(5000)).append('\n');
        Files.writeString(sandbox.root().resolve("var/log/cloud-init-output.log"), huge, StandardOpenOption.APPEND);
        Map<String, String> params = new HashMap<>(sandbox.diagnoseParameters());
        params.put("TailLines", "200");

        String out = diagnose(DOCUMENT.resolve(params)).stdout();

        assertThat(out.length()).isLessThanOrEqualTo(24_000);
        HostFacts facts = HostFacts.parse(out);
        assertThat(facts.cloudInit().errors()).hasSize(15).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(200));
    }

    @Test
    void refusesARelativeAppDirectoryEvenWhenNothingCheckedIt() {
        Map<String, String> params = new HashMap<>(DOCUMENT.resolve(sandbox.diagnoseParameters()));
        params.put("AppDirectory", "home/ec2-user/app");
        assertThatThrownBy(() -> DOCUMENT.resolve(params)).hasMessageContaining("InvalidParameters: AppDirectory");

        Agent.Invocation run = diagnose(params);

        assertThat(run.status()).isEqualTo("Failed");
        assertThat(run.responseCode()).isEqualTo(2);
        assertThatThrownBy(() -> HostFacts.parse(run.stdout())).hasMessageContaining("AppDirectory must be an absolute path");
    }

    @Test
    void diagnosesAnInstanceStaleSinceBoot() {
        sandbox.provision(v1);
        Revision v2 = sandbox.repository().revision("v2");
        LocalDiagnosticSource source = new LocalDiagnosticSource(sandbox, DOCUMENT, new LocalDiagnosticSource.Stack(
                "streamr-p2p-beta", Instant.now().plusSeconds(60),
                new DesiredRevision(v2, DesiredRevision.Origin.STACK_OUTPUT, "AppRevision")));

        Diagnosis d = new Diagnoser(source, null).diagnose(sandbox.target(), "streamr-p2p-beta", null);

        assertThat(d.verdict()).isEqualTo(Diagnosis.Verdict.STALE_SINCE_BOOT);
        assertThat(d.explanation()).startsWith("service started at boot ").contains("before the last stack update")
                .contains("app directory at " + v1.shortSha() + ", desired " + v2.shortSha())
                .contains("UserData installs the app once and nothing updates it");
        assertThat(d.facts().userData().present()).isTrue();
    }

    private Agent.Invocation diagnose(Map<String, String> parameters) {
        return new Agent(sandbox).run("diagnose-" + System.nanoTime(), DOCUMENT, parameters);
    }
}
