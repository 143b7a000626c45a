package com.driftremediator.local;

import com.driftremediator.domain.Observation;
import com.driftremediator.domain.Revision;
import com.driftremediator.domain.Target;
import com.driftremediator.domain.Verdict;
import com.driftremediator.testing.ProjectPaths;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The sandbox instance: UserData provisioning, the systemctl stand-in, observation, clean shutdown. */
class SandboxIT {
    private Path tmp;
    private Sandbox sandbox;
    private Revision v1;

    @BeforeEach
    void provision() throws IOException {
        tmp = Files.createTempDirectory("sandbox-it-");
        sandbox = Sandbox.create(tmp.resolve("sandbox"), ProjectPaths.root().resolve("examples/streamr-app"));
        v1 = sandbox.repository().revision("v1");
        sandbox.provision(v1);
    }

    @AfterEach
    void stopProcesses() throws IOException {
        if (sandbox != null) sandbox.close();
        SampleRepository.clear(tmp);
    }

    @Test
    void userDataRunsOnceAndCloudInitLogsItLikeCloudInit() throws Exception {
        List<String> log = Files.readAllLines(sandbox.root().resolve("var/log/cloud-init-output.log"));

        assertThat(log.get(0)).matches("Cloud-init v\\. 23\\.\\S+ running 'modules:final' at \\w{3}, .* \\+0000\\. Up [0-9.]+ seconds\\.");
        assertThat(log).anyMatch(l -> l.startsWith("+ git clone --quiet file://"));
        assertThat(log).anyMatch(l -> l.equals("+ systemctl enable --now streamr-app"));
        assertThat(log.get(log.size() - 1)).matches(
                "Cloud-init v\\. 23\\.\\S+ finished at \\w{3}, \\d{2} \\w{3} \\d{4} [0-9:]{8} \\+0000\\. Datasource DataSourceEc2Local\\.  Up [0-9.]+ seconds");
        assertThat(Files.readString(sandbox.root().resolve("var/lib/cloud/instance/user-data.txt")))
                .startsWith("#!/bin/bash\n").contains("REVISION='" + v1.sha() + "'");
        assertThat(sandbox.appDirectory().resolve(".git")).isDirectory();
        assertThat(Files.isSymbolicLink(sandbox.appDirectory())).isFalse();
    }

    @Test
    void standInAndUserDataAreCleanForShellcheck() throws Exception {
        Path userData = Files.writeString(tmp.resolve("user-data.sh"), Sandbox.resource("user-data.sh"));
        for (List<String> args : List.of(List.of("-s", "sh", sandbox.workdir().resolve("bin/systemctl").toString()),
                List.of("-s", "sh", sandbox.workdir().resolve("bin/journalctl").toString()),
                List.of("-s", "bash", userData.toString()))) {
            ProcessBuilder pb = new ProcessBuilder(ProjectPaths.venvTool("shellcheck").toString());
            pb.command().addAll(args);
            Processes.Result r = Processes.run(pb, Duration.ofMinutes(1));
            assertThat(r.stdout() + r.stderr()).as(args.toString()).isEmpty();
            assertThat(r.exitCode()).isZero();
        }
    }

    @Test
    void theOldCommitServesWithoutTheLiveRoute() {
        assertThat(Probe.get(sandbox.url("/streams")).orElseThrow().body()).contains("\"status\": \"active\"");
        assertThat(Probe.status(sandbox.url("/streams/live"))).isEqualTo(404);
        assertThat(Probe.status(sandbox.url("/health"))).isEqualTo(200);
    }

    @Test
    void standInSystemctlReportsLikeSystemd() {
        Processes.Result show = sandbox.systemctl("show", "-p", "ActiveState,SubState,MainPID", "-p",
                "ActiveEnterTimestamp,ExecStart,WorkingDirectory,FragmentPath", Sandbox.SERVICE);

        assertThat(show.stdout()).contains("ActiveState=active\n", "SubState=running\n",
                "WorkingDirectory=" + sandbox.appDirectory() + "\n",
                "FragmentPath=" + sandbox.root().resolve("etc/systemd/system/streamr-app.service") + "\n",
                "ExecStart={ path=" + sandbox.appDirectory().resolve(".venv/bin/python") + " ; argv[]=");
        assertThat(show.stdout()).containsPattern("MainPID=[1-9]\\d*\n");
        assertThat(show.stdout()).containsPattern("ActiveEnterTimestamp=\\w{3} \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2} UTC\n");
        assertThat(sandbox.systemctl("cat", "streamr-app.service").stdout())
                .startsWith("# " + sandbox.root().resolve("etc/systemd/system/streamr-app.service") + "\n")
                .contains("ExecStart=");
        assertThat(sandbox.systemctl("status", Sandbox.SERVICE).stdout()).contains("Active: active (running) since");
        assertThat(sandbox.systemctl("is-active", Sandbox.SERVICE).exitCode()).isZero();
        ProcessBuilder journal = new ProcessBuilder(sandbox.workdir().resolve("bin/journalctl").toString(),
                "-u", "streamr-app.service", "-n", "5", "--no-pager");
        assertThat(Processes.run(journal, Duration.ofSeconds(10)).stdout()).contains("listening on 127.0.0.1:" + sandbox.port());

        sandbox.systemctl("stop", Sandbox.SERVICE);

        Processes.Result inactive = sandbox.systemctl("is-active", Sandbox.SERVICE);
        assertThat(inactive.stdout().strip()).isEqualTo("inactive");
        assertThat(inactive.exitCode()).isEqualTo(3);
        assertThat(sandbox.systemctl("show", "-p", "MainPID", "--value", Sandbox.SERVICE).stdout().strip()).isEqualTo("0");
        assertThat(Probe.status(sandbox.url("/health"))).isZero();
    }

    @Test
    void aProcessThatDiesOnItsOwnIsFailed() throws Exception {
        String pid = sandbox.systemctl("show", "-p", "MainPID", "--value", Sandbox.SERVICE).stdout().strip();
        ProcessHandle process = ProcessHandle.of(Long.parseLong(pid)).orElseThrow();
        process.destroyForcibly();
        process.onExit().get();

        assertThat(sandbox.systemctl("is-failed", Sandbox.SERVICE).exitCode()).isZero();
        assertThat(sandbox.systemctl("show", "-p", "ActiveState", "--value", Sandbox.SERVICE).stdout().strip())
                .isEqualTo("failed");
    }

    @Test
    void theFleetSeesThePlainCheckoutItsProcessAndItsStartTimeThroughObserveDocument() {
        LocalFleet fleet = new LocalFleet(sandbox, SsmDocument.fromTemplate(ProjectPaths.root().resolve("template.yaml"),
                "ObserveDocument"));

        Observation o = fleet.observe(sandbox.target());

        assertThat(o.reachable()).isTrue();
        assertThat(o.onDisk()).isEqualTo(v1);
        assertThat(o.served()).isEqualTo(v1);
        assertThat(o.healthy()).isTrue();
        assertThat(o.serviceStartedAt()).isBetween(Instant.now().minus(Duration.ofMinutes(1)), Instant.now());
        assertThat(o.releaseSwitchedAt()).as("the checkout's code arrived before the service started")
                .isBeforeOrEqualTo(o.serviceStartedAt());
        assertThat(Verdict.of(v1, o).sync()).isEqualTo(Verdict.Sync.SYNCED);
        assertThat(fleet.observe(new Target("i-0aaaaaaaaaaaaaaaa")).reachable()).isFalse();
    }

    @Test
    void theSampleRepositoryHasTheSameCommitsOnEveryBuild() {
        SampleRepository again = SampleRepository.build(ProjectPaths.root().resolve("examples/streamr-app"),
                tmp.resolve("again.git"));

        for (String dir : List.of("v1", "v2", "v3-broken")) {
            assertThat(again.revision(dir)).isEqualTo(sandbox.repository().revision(dir));
        }
        assertThat(again.head()).isEqualTo(again.revision("v3-broken"));
    }

    @Test
    void closeStopsEveryProcessAndAnEarlierSandboxIsReplaced() {
        String pid = sandbox.systemctl("show", "-p", "MainPID", "--value", Sandbox.SERVICE).stdout().strip();

        Sandbox replacement = Sandbox.create(sandbox.workdir(), ProjectPaths.root().resolve("examples/streamr-app"));

        assertThat(ProcessHandle.of(Long.parseLong(pid))).isEmpty();
        assertThat(Probe.status(sandbox.url("/health"))).isZero();
        replacement.close();
    }

    @Test
    void refusesADirectoryThatIsNotASandbox() throws Exception {
        Path other = Files.createDirectories(tmp.resolve("other"));
        Files.writeString(other.resolve("precious.txt"), "keep me");

        assertThatThrownBy(() -> Sandbox.create(other, ProjectPaths.root().resolve("examples/streamr-app")))
                .hasMessageContaining("neither empty nor an earlier sandbox");
        assertThat(other.resolve("precious.txt")).exists();
        assertThatThrownBy(() -> Sandbox.create(tmp.resolve("with space"), ProjectPaths.root().resolve("examples/streamr-app")))
                .hasMessageContaining("letters, digits and ._-");
    }
}
