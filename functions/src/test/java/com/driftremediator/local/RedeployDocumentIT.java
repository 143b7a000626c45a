package com.driftremediator.local;

import com.driftremediator.domain.Attempt;
import com.driftremediator.domain.CommandRunner;
import com.driftremediator.domain.Observation;
import com.driftremediator.domain.RedeploySummary;
import com.driftremediator.domain.Revision;
import com.driftremediator.domain.Target;
import com.driftremediator.domain.Verdict;
import com.driftremediator.testing.ProjectPaths;
import com.driftremediator.testing.WholeSeconds;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * RedeployDocument from template.yaml, run for real on a sandbox instance by its agent; what it leaves is seen
 * through its summary, ObserveDocument (the fleet) and /version.
 */
class RedeployDocumentIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path TEMPLATE = ProjectPaths.root().resolve("template.yaml");
    private static final SsmDocument DOCUMENT = SsmDocument.fromTemplate(TEMPLATE, "RedeployDocument");
    private static final SsmDocument OBSERVE = SsmDocument.fromTemplate(TEMPLATE, "ObserveDocument");

    /** Not @TempDir: its clean-up warns about every venv link to the system python. */
    private Path tmp;
    private Sandbox sandbox;
    private LocalCommandRunner runner;
    private LocalFleet fleet;
    private Revision v1;
    private Revision v2;

    @BeforeEach
    void provisionAtTheOldCommit() throws IOException {
        tmp = Files.createTempDirectory("redeploy-it-");
        sandbox = Sandbox.create(tmp.resolve("sandbox"), ProjectPaths.root().resolve("examples/streamr-app"));
        runner = new LocalCommandRunner(sandbox, DOCUMENT);
        fleet = new LocalFleet(sandbox, OBSERVE);
        v1 = sandbox.repository().revision("v1");
        v2 = sandbox.repository().revision("v2");
        sandbox.provision(v1);
    }

    @AfterEach
    void stopProcesses() throws IOException {
        if (sandbox != null) sandbox.close();
        SampleRepository.clear(tmp);
    }

    @Test
    void firstRunMigratesThePlainCheckoutAndDeploys() throws Exception {
        assertThat(Files.isSymbolicLink(sandbox.appDirectory())).isFalse();

        LocalCommandRunner.Execution run = deploy(v2);

        JsonNode summary = firstLine(run);
        assertThat(run.exitCode()).isZero();
        assertThat(summary.path("result").asText()).isEqualTo("deployed");
        assertThat(summary.path("revision").asText()).isEqualTo(v2.sha());
        assertThat(summary.path("previous").asText()).isEqualTo(v1.sha());
        assertThat(summary.path("serving").asText()).isEqualTo(v2.sha());
        assertThat(summary.path("exitCode").asInt()).isZero();
        assertThat(summary.path("durationMs").asLong()).isPositive();
        Path releases = sandbox.releases();
        assertThat(Files.readSymbolicLink(sandbox.appDirectory())).isEqualTo(Path.of("app.releases/current"));
        assertThat(Files.readSymbolicLink(releases.resolve("current"))).isEqualTo(Path.of("releases", v2.sha()));
        assertThat(Files.readSymbolicLink(releases.resolve("previous"))).isEqualTo(Path.of("releases", v1.sha()));
        assertThat(releases.resolve("releases").resolve(v1.sha()).resolve(".git")).isDirectory();
        assertThat(Files.readString(releases.resolve("releases").resolve(v1.sha()).resolve("REVISION")).strip()).isEqualTo(v1.sha());
        assertThat(Files.readString(releases.resolve("releases").resolve(v2.sha()).resolve("REVISION")).strip()).isEqualTo(v2.sha());
        assertThat(sandbox.served()).isEqualTo(v2);
        assertThat(observed().onDisk()).isEqualTo(v2);
        assertThat(Verdict.of(v2, observed()).sync()).isEqualTo(Verdict.Sync.SYNCED);
        assertThat(Probe.status(sandbox.url("/streams/live"))).isEqualTo(200);
        assertThat(releases.resolve(".switch")).doesNotExist();
    }

    @Test
    void upgradeSwitchesReleasesReusesTheVenvAndKeepsOnlyNReleases() throws Exception {
        deploy(v2);
        Path venvOfV2 = Files.readSymbolicLink(release(v2).resolve(".venv"));
        Revision v2b = commitOnTopOfV2("README.md", "docs", Instant.parse("2026-11-26T15:00:00Z"));
        Revision v2c = commitOnTopOfV2("NOTES.md", "more docs", Instant.parse("2026-11-26T16:00:00Z"));

        LocalCommandRunner.Execution second = deploy(v2b, Map.of("KeepReleases", "2"));
        LocalCommandRunner.Execution third = deploy(v2c, Map.of("KeepReleases", "2"));

        assertThat(second.summary().result()).isEqualTo("deployed");
        assertThat(second.summary().previous()).isEqualTo(v2);
        assertThat(second.stdout()).doesNotContain("building venvs/");
        assertThat(Files.readSymbolicLink(release(v2b).resolve(".venv"))).isEqualTo(venvOfV2);
        assertThat(third.summary().result()).isEqualTo("deployed");
        assertThat(third.summary().serving()).isEqualTo(v2c);
        assertThat(Files.readSymbolicLink(sandbox.releases().resolve("previous"))).isEqualTo(Path.of("releases", v2b.sha()));
        assertThat(releaseNames()).containsExactlyInAnyOrder(v2b.sha(), v2c.sha());
        assertThat(sandbox.served()).isEqualTo(v2c);
    }

    @Test
    void noopWhenTheRevisionAlreadyRunsHealthy() {
        deploy(v2);
        String pidBefore = sandbox.systemctl("show", "-p", "MainPID", "--value", Sandbox.SERVICE).stdout();

        LocalCommandRunner.Execution again = deploy(v2);

        assertThat(again.exitCode()).isZero();
        assertThat(again.summary().result()).isEqualTo("noop");
        assertThat(again.summary().serving()).isEqualTo(v2);
        assertThat(sandbox.systemctl("show", "-p", "MainPID", "--value", Sandbox.SERVICE).stdout()).isEqualTo(pidBefore);
    }

    @Test
    void aProcessStartedBeforeTheSwitchIsRestartedNotReportedAsNoop() throws Exception {
        deploy(v2);
        // someone switched current by hand and did not restart: the process still runs v1
        Path tmpLink = sandbox.releases().resolve("hand");
        Files.createSymbolicLink(tmpLink, Path.of("releases", v1.sha()));
        Files.move(tmpLink, sandbox.releases().resolve("current"), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
        sandbox.systemctl("restart", Sandbox.SERVICE);
        sandbox.awaitHealthy(Duration.ofSeconds(20));
        WholeSeconds.after(observed().serviceStartedAt());
        Files.move(Files.createSymbolicLink(tmpLink, Path.of("releases", v2.sha())), sandbox.releases().resolve("current"),
                StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        assertThat(sandbox.served()).isEqualTo(v1);
        assertThat(Verdict.of(v2, observed()).reasons()).contains(Verdict.Reason.PROCESS_STALE);

        LocalCommandRunner.Execution run = deploy(v2);

        assertThat(run.summary().result()).isEqualTo("deployed");
        assertThat(sandbox.served()).isEqualTo(v2);
        assertThat(Verdict.of(v2, observed()).sync()).isEqualTo(Verdict.Sync.SYNCED);
    }

    @Test
    void aChangedRequirementsFileGetsItsOwnVenv() throws Exception {
        deploy(v2);
        Path venvOfV2 = Files.readSymbolicLink(release(v2).resolve(".venv"));
        Path tree = copyOfV2();
        Files.writeString(tree.resolve("requirements.txt"), "# streamr-app uses the Python standard library only.\n"
                + "# pinned: nothing to pin yet (a changed file is a new venv)\n");
        Revision changed = sandbox.repository().commit(tree, "requirements: comment", Instant.parse("2026-11-27T08:00:00Z"));

        LocalCommandRunner.Execution run = deploy(changed);

        assertThat(run.summary().result()).isEqualTo("deployed");
        assertThat(run.stdout()).contains("building venvs/");
        Path venv = Files.readSymbolicLink(release(changed).resolve(".venv"));
        assertThat(venv).isNotEqualTo(venvOfV2);
        assertThat(release(changed).resolve(".venv/bin/python")).exists();
        assertThat(release(changed).resolve(venv).resolve(".ready")).exists();
        assertThat(sandbox.served()).isEqualTo(changed);
    }

    @Test
    void aFailedDependencyInstallSwitchesNothing() throws Exception {
        Path tree = copyOfV2();
        Files.writeString(tree.resolve("requirements.txt"), "./vendor/lifecycle-store-that-was-never-committed\n");
        Revision broken = sandbox.repository().commit(tree, "requirements: local package", Instant.parse("2026-11-27T09:00:00Z"));
        WholeSeconds.after(observed().serviceStartedAt());

        LocalCommandRunner.Execution run = deploy(broken);

        assertThat(run.exitCode()).isEqualTo(5);
        assertThat(run.summary().result()).isEqualTo("failed");
        assertThat(run.summary().serving()).isEqualTo(v1);
        assertThat(sandbox.served()).isEqualTo(v1);
        assertThat(observed().onDisk()).isEqualTo(v1);
        // migrated, nothing switched: the process that runs v1 is not older than its release
        assertThat(Verdict.of(v1, observed()).sync()).isEqualTo(Verdict.Sync.SYNCED);
        assertThat(Verdict.of(broken, observed()).reasons()).containsExactly(Verdict.Reason.CODE_STALE,
                Verdict.Reason.SERVED_STALE);
    }

    @Test
    void anUnhealthyReleaseIsMarkedBadAndRolledBack() throws Exception {
        Revision bad = sandbox.repository().revision("v3-broken");

        LocalCommandRunner.Execution run = deploy(bad);

        assertThat(run.exitCode()).isEqualTo(6);
        RedeploySummary summary = run.summary();
        assertThat(summary.result()).isEqualTo("rolled_back");
        assertThat(summary.previous()).isEqualTo(v1);
        assertThat(summary.serving()).isEqualTo(v1);
        assertThat(release(bad).resolve("BAD_RELEASE")).exists();
        assertThat(Files.readSymbolicLink(sandbox.releases().resolve("current"))).isEqualTo(Path.of("releases", v1.sha()));
        assertThat(sandbox.served()).isEqualTo(v1);
        assertThat(observed().onDisk()).isEqualTo(v1);
        assertThat(observed().healthy()).isTrue();
        assertThat(Probe.status(sandbox.url("/health"))).isEqualTo(200);
    }

    @Test
    void aBadReleaseAskedForAgainIsRebuiltWithTheSharedFilesAndLosesItsMarker() throws Exception {
        Revision bad = sandbox.repository().revision("v3-broken");
        deploy(bad);
        assertThat(release(bad).resolve("BAD_RELEASE")).exists();
        // the missing module arrives as a shared file, linked into every new release
        Files.writeString(sandbox.releases().resolve("shared/lifecycle_store.py"), """
                class LifecycleStore:
                    def all(self):
                        return [{"id": "s-1001", "title": "Morning market update", "status": "live"}]
                """);

        LocalCommandRunner.Execution again = deploy(bad);

        assertThat(again.exitCode()).as(again.stdout()).isZero();
        assertThat(again.stdout()).contains("marked bad before; building it again");
        assertThat(release(bad).resolve("BAD_RELEASE")).doesNotExist();
        assertThat(Files.readSymbolicLink(release(bad).resolve("lifecycle_store.py")))
                .isEqualTo(Path.of("../../shared/lifecycle_store.py"));
        assertThat(sandbox.served()).isEqualTo(bad);
    }

    @Test
    void aSecondRunWhileTheFirstHoldsTheLockExitsThreeAndChangesNothing() throws Exception {
        Background first = new Background(slowStart());
        first.awaitLog("deploying ");

        LocalCommandRunner.Execution second = deploy(v2);

        assertThat(second.exitCode()).as(second.stdout()).isEqualTo(3);
        assertThat(second.summary().message()).contains("holds the lock");
        assertThat(second.stdout()).doesNotContain("fetching", "switching");
        LocalCommandRunner.Execution deployed = first.run.join();
        assertThat(deployed.exitCode()).as(deployed.stdout()).isZero();
        assertThat(deployed.summary().result()).isEqualTo("deployed");
        assertThat(sandbox.served()).isEqualTo(deployed.revision());
        assertThat(deploy(deployed.revision()).summary().result()).as("the lock is free again").isEqualTo("noop");
    }

    @Test
    void aLockDirectoryOfTheEarlierSchemeWhosePidIsNowAnotherProcessIsRemoved() throws Exception {
        // what the mkdir lock left after a reboot: its pid now names a live process that is no redeploy (this JVM)
        Files.createDirectories(sandbox.releases().resolve(".lock"));
        Files.writeString(sandbox.releases().resolve(".lock/pid"), ProcessHandle.current().pid() + "\n");

        LocalCommandRunner.Execution run = deploy(v2);

        assertThat(run.exitCode()).as(run.stdout()).isZero();
        assertThat(run.stdout()).contains("removing the lock directory of the earlier scheme (pid "
                + ProcessHandle.current().pid());
        assertThat(sandbox.releases().resolve(".lock")).isRegularFile();
        assertThat(sandbox.served()).isEqualTo(v2);
    }

    @Test
    void theLockOfAKilledRunDoesNotBlockTheNext() throws Exception {
        Background killed = new Background(slowStart());
        killed.awaitLog("restarting ");
        killed.kill(Signal.KILL);
        assertThat(sandbox.releases().resolve(".lock")).as("the lock file stays, with no holder").isRegularFile();

        LocalCommandRunner.Execution next = deploy(v2);

        assertThat(next.exitCode()).as(next.stdout()).isZero();
        assertThat(sandbox.served()).isEqualTo(v2);
    }

    /**
     * A signal at each phase of a first redeploy (UserData's v1 serving): afterwards a healthy release serves, the one
     * before unless the new one was verified, and the next run deploys without a human. A phase is reached by its
     * log line, streamed on stderr; a venv with pip (seconds) holds the build, an app that starts in 3 s the switch
     * and the health wait.
     */
    @ParameterizedTest(name = "{1} during {0}")
    @CsvSource({"fetch, TERM", "fetch, KILL", "build, TERM", "build, KILL", "switch, TERM", "switch, KILL",
            "health, TERM", "health, KILL"})
    void aRedeployKilledAtAnyPhaseLeavesAHealthyReleaseAndTheNextRunDeploys(String phase, Signal signal) throws Exception {
        Revision target = switch (phase) {
            case "build" -> slowBuild();
            case "switch", "health" -> slowStart();
            default -> v2;
        };
        String line = switch (phase) {
            case "fetch" -> "fetching ";
            case "build" -> "building venvs/";
            case "switch" -> "switching current to ";
            default -> "restarting ";
        };
        boolean afterTheSwitch = phase.equals("switch") || phase.equals("health");
        Background run = new Background(target);
        run.awaitLog(line);

        LocalCommandRunner.Execution killed = run.kill(signal);

        if (signal == Signal.TERM) {
            assertThat(killed.exitCode()).as(killed.stdout()).isEqualTo(9);
            assertThat(killed.summary().result()).isEqualTo("failed");
            assertThat(killed.summary().message()).startsWith(afterTheSwitch ? "interrupted after the switch"
                    : "interrupted before the switch");
            assertThat(killed.summary().serving()).isEqualTo(v1);
            assertThat(killed.stderr()).as("the log, streamed").contains(line, "interrupted");
            assertThat(sandbox.served()).isEqualTo(v1);
            assertThat(Probe.status(sandbox.url("/health"))).isEqualTo(200);
            assertThat(sandbox.releases().resolve(".switch")).doesNotExist();
        } else {
            assertThat(killed.stdout()).as("no summary: killed").isEmpty();
            assertThat(Files.exists(sandbox.releases().resolve(".switch"))).isEqualTo(afterTheSwitch);
        }

        LocalCommandRunner.Execution next = deploy(target);

        assertThat(next.exitCode()).as(next.stdout()).isZero();
        assertThat(next.summary().result()).isEqualTo("deployed");
        if (signal == Signal.KILL && afterTheSwitch) {
            assertThat(next.stdout()).contains("never verified healthy: going back to " + v1.sha(),
                    v1.sha() + " serves again");
        }
        assertThat(sandbox.served()).isEqualTo(target);
        assertThat(Probe.status(sandbox.url("/health"))).isEqualTo(200);
        assertThat(Files.readSymbolicLink(sandbox.releases().resolve("previous"))).isEqualTo(Path.of("releases", v1.sha()));
        assertThat(sandbox.releases().resolve(".switch")).doesNotExist();
        assertThat(Verdict.of(target, observed()).sync()).isEqualTo(Verdict.Sync.SYNCED);
    }

    @Test
    void theLeftoversOfAKilledRunAreRemovedByTheNext() throws Exception {
        Background killed = new Background(slowBuild());
        killed.awaitLog("building venvs/");
        killed.kill(Signal.KILL);
        try (Stream<Path> venvs = Files.list(sandbox.releases().resolve("venvs"))) {
            assertThat(venvs.filter(v -> !Files.exists(v.resolve(".ready")))).as("the venv it was building").hasSize(1);
        }
        // what a kill at other moments leaves (too short to hit on purpose): a half export, a migration's replaced
        // release, a half clone, a half-made link
        Path releases = sandbox.releases();
        Files.createDirectories(releases.resolve("releases/.tmp-" + v2.sha()));
        Files.createDirectories(releases.resolve("releases/.replaced-" + v1.sha() + "-4242"));
        Files.createDirectories(releases.resolve("repo.git.tmp/objects"));
        Files.createSymbolicLink(releases.resolve(".current.tmp"), Path.of("releases", v2.sha()));

        LocalCommandRunner.Execution next = deploy(v2);

        assertThat(next.exitCode()).as(next.stdout()).isZero();
        assertThat(next.stdout()).contains("never completed", "left by a run that was killed");
        assertThat(releases.resolve("releases/.tmp-" + v2.sha())).doesNotExist();
        assertThat(releases.resolve("releases/.replaced-" + v1.sha() + "-4242")).doesNotExist();
        assertThat(releases.resolve("repo.git.tmp")).doesNotExist();
        assertThat(Files.exists(releases.resolve(".current.tmp"), LinkOption.NOFOLLOW_LINKS)).isFalse();
        try (Stream<Path> venvs = Files.list(releases.resolve("venvs"))) {
            assertThat(venvs).allSatisfy(v -> assertThat(v.resolve(".ready")).exists());
        }
        assertThat(sandbox.served()).isEqualTo(v2);
    }

    @Test
    void tooLittleFreeSpaceExitsTenAndChangesNothing() {
        LocalCommandRunner.Execution run = deploy(v2, Map.of("MinFreeMegabytes", "9999999"));

        assertThat(run.exitCode()).as(run.stdout()).isEqualTo(10);
        assertThat(run.summary().result()).isEqualTo("failed");
        assertThat(run.summary().message()).contains("MB free in", "MinFreeMegabytes asks for 9999999");
        assertThat(run.summary().serving()).isEqualTo(v1);
        assertThat(sandbox.releases().resolve("repo.git")).doesNotExist();
        assertThat(Files.isSymbolicLink(sandbox.appDirectory())).isFalse();
        assertThat(sandbox.served()).isEqualTo(v1);
    }

    @Test
    void theFetchBringsTheCommitByIdAndNoPullRequestRefs() throws Exception {
        Revision main = sandbox.repository().head();
        Revision pullRequest = commitOnTopOfV2("PULL.md", "a pull request's head", Instant.parse("2026-11-28T10:00:00Z"));
        sandbox.repository().push(main);
        git(sandbox.repository().gitDir(), "update-ref", "refs/pull/7/head", pullRequest.sha());

        LocalCommandRunner.Execution run = deploy(pullRequest);

        assertThat(run.exitCode()).as(run.stdout()).isZero();
        assertThat(sandbox.served()).isEqualTo(pullRequest);
        Path repo = sandbox.releases().resolve("repo.git");
        assertThat(git(repo, "for-each-ref", "--format=%(refname)")).doesNotContain("refs/pull/");
        assertThat(git(repo, "rev-list", "--all", "--count")).as("no branch copied").isEqualTo("0");
    }

    @Test
    void aRevisionMissingFromTheRepositoryChangesNothing() {
        Revision missing = Revision.of("0123456789abcdef0123456789abcdef01234567");

        LocalCommandRunner.Execution run = deploy(missing);

        assertThat(run.exitCode()).isEqualTo(4);
        assertThat(run.summary().result()).isEqualTo("failed");
        assertThat(run.summary().message()).contains("not in the repository");
        assertThat(run.summary().serving()).isEqualTo(v1);
        assertThat(Files.isSymbolicLink(sandbox.appDirectory())).isFalse();
        assertThat(sandbox.served()).isEqualTo(v1);
    }

    @Test
    void hostileParameterValuesAreRejectedAndNothingRuns() throws Exception {
        Path marker = tmp.resolve("pwned");
        List<String> payloads = List.of("$(touch " + marker + ")", "x; touch " + marker, "`touch " + marker + "`",
                v2.sha() + "\ntouch " + marker, "x | touch " + marker, "x && touch " + marker);
        for (String name : DOCUMENT.parameters().keySet()) {
            for (String payload : payloads) {
                // every parameter as the agent passes it (defaults filled in), one of them hostile past the document's pattern
                Map<String, String> parameters = new HashMap<>(DOCUMENT.resolve(sandbox.redeployParameters(v2)));
                parameters.put(name, payload);

                LocalCommandRunner.Execution run = runner.execute(UUID.randomUUID().toString(), parameters);

                assertThat(run.exitCode()).as(name + " = " + payload).isEqualTo(2);
                assertThat(run.invocation().status()).isEqualTo("Failed");
                assertThat(run.summary().message()).as(name).contains("parameter " + name + " is invalid");
                assertThat(run.stdout().lines().findFirst().orElseThrow()).doesNotContain("touch");
            }
        }
        assertThat(marker).doesNotExist();
        assertThat(sandbox.releases()).doesNotExist();
        assertThat(Files.isSymbolicLink(sandbox.appDirectory())).isFalse();
        assertThat(sandbox.served()).isEqualTo(v1);
    }

    @Test
    void aMissingParameterIsInvalidToo() {
        Map<String, String> parameters = new HashMap<>(DOCUMENT.resolve(sandbox.redeployParameters(v2)));
        parameters.remove("Revision");

        LocalCommandRunner.Execution run = runner.execute(UUID.randomUUID().toString(), parameters);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.summary().message()).contains("parameter Revision is missing");
    }

    @Test
    void theCommandRunnerChecksLikeSsmAndAnswersLikeGetCommandInvocation() {
        Attempt attempt = Attempt.pending("sandbox", v2, 1, List.of(sandbox.target().instanceId()), null, "", Instant.now());
        String commandId = runner.sendRedeploy(attempt, List.of(sandbox.target()));

        CommandRunner.CommandResult result = runner.result(commandId, sandbox.target()).orElseThrow();
        assertThat(result.status()).isEqualTo("Success");
        assertThat(result.revision()).isEqualTo(v2);
        assertThat(RedeploySummary.parse(result.stdout()).serving()).isEqualTo(v2);
        assertThatThrownBy(() -> runner.sendRedeploy(attempt, List.of(new Target("i-0aaaaaaaaaaaaaaaa"))))
                .hasMessageContaining("InvalidInstanceId");
        assertThat(runner.result("no-such-command", sandbox.target())).as("a command SSM does not know").isEmpty();

        // a document as loud as a long pip install: GetCommandInvocation keeps 24,000 and 8,000 characters
        SsmDocument loud = new SsmDocument("Loud", DOCUMENT.parameters(), List.of(new SsmDocument.Step("loud",
                "head -c 30000 /dev/zero | tr '\\0' o\nhead -c 9000 /dev/zero | tr '\\0' e >&2\nexit 6\n",
                Duration.ofSeconds(30))));
        LocalCommandRunner loudRunner = new LocalCommandRunner(sandbox, loud);
        String loudId = loudRunner.sendRedeploy(attempt, List.of(sandbox.target()));

        CommandRunner.CommandResult cut = loudRunner.result(loudId, sandbox.target()).orElseThrow();
        assertThat(cut.status()).isEqualTo("Failed");
        assertThat(cut.stdout()).hasSize(24_000).matches("o+");
        assertThat(cut.stderr()).hasSize(8_000).startsWith("eee");
        assertThat(loudRunner.execution(loudId, sandbox.target()).stdout()).hasSize(30_000);
        assertThat(loudRunner.execution(loudId, sandbox.target()).exitCode()).isEqualTo(6);
    }

    enum Signal { TERM, KILL }

    /** A redeploy in the background: the test follows its streamed log (stderr, as the agent writes it) and kills it. */
    private final class Background {
        final String id = UUID.randomUUID().toString();
        final Revision revision;
        final CompletableFuture<LocalCommandRunner.Execution> run;

        Background(Revision revision) {
            this.revision = revision;
            Map<String, String> parameters = DOCUMENT.resolve(sandbox.redeployParameters(revision));
            run = CompletableFuture.supplyAsync(() -> runner.execute(id, parameters));
        }

        void awaitLog(String text) throws Exception {
            Path stderr = new Agent(sandbox).stepDirectory(id, "redeploy").resolve("stderr");
            Instant deadline = Instant.now().plusSeconds(60);
            while (!(Files.exists(stderr) && Files.readString(stderr).contains(text))) {
                assertThat(run.isDone()).as("the run ended before logging '" + text + "'").isFalse();
                assertThat(Instant.now()).as("'" + text + "' within 60 s").isBefore(deadline);
                Thread.sleep(5);
            }
        }

        /**
         * TERM: {@code kill PID} of the script. KILL: the script and everything it started at once, as a reboot or
         * the agent's kill of the command's process group would (frozen first, so nothing forks meanwhile), but the
         * service's processes: systemd runs those, not the script.
         */
        LocalCommandRunner.Execution kill(Signal signal) throws Exception {
            ProcessHandle script = ProcessHandle.current().children()
                    .filter(p -> p.info().commandLine().orElse("").contains(id + "/redeploy/_script.sh"))
                    .findFirst().orElseThrow();
            if (signal == Signal.TERM) {
                script.destroy();
            } else {
                Map<Long, ProcessHandle> frozen = new LinkedHashMap<>();
                List<ProcessHandle> fresh;
                while (!(fresh = Stream.concat(Stream.of(script), script.descendants())
                        .filter(p -> !frozen.containsKey(p.pid()) && !ofTheService(p)).toList()).isEmpty()) {
                    List<String> stop = new ArrayList<>(List.of("kill", "-STOP"));
                    fresh.forEach(p -> stop.add(String.valueOf(p.pid())));
                    Processes.run(new ProcessBuilder(stop), Duration.ofSeconds(10));
                    fresh.forEach(p -> frozen.put(p.pid(), p));
                }
                frozen.values().forEach(ProcessHandle::destroyForcibly);
            }
            return run.get(2, TimeUnit.MINUTES);
        }
    }

    /** The service's main process, or the stand-in's subshell that waits for it. */
    private boolean ofTheService(ProcessHandle p) {
        Path pidFile = sandbox.root().resolve("run/" + Sandbox.SERVICE + ".pid");
        try {
            String pid = Files.exists(pidFile) ? Files.readString(pidFile).strip() : "";
            return String.valueOf(p.pid()).equals(pid) || p.children().anyMatch(c -> String.valueOf(c.pid()).equals(pid));
        } catch (IOException e) {
            return false;
        }
    }

    /** v2 with a requirements.txt that needs pip: its venv takes seconds to build (pip itself is all it installs). */
    private Revision slowBuild() throws IOException {
        Path tree = copyOfV2();
        Files.writeString(tree.resolve("requirements.txt"), "pip\n");
        return sandbox.repository().commit(tree, "requirements: pip", Instant.parse("2026-11-27T10:00:00Z"));
    }

    /** v2 whose app takes 3 s before it listens: healthy, after a while. */
    private Revision slowStart() throws IOException {
        Path tree = copyOfV2();
        Path app = tree.resolve("app.py");
        Files.writeString(app, Files.readString(app).replace("if __name__ == \"__main__\":\n",
                "if __name__ == \"__main__\":\n    __import__(\"time\").sleep(3)\n"));
        return sandbox.repository().commit(tree, "app: slow start", Instant.parse("2026-11-27T11:00:00Z"));
    }

    private static String git(Path gitDir, String... args) {
        ProcessBuilder pb = new ProcessBuilder(Stream.concat(Stream.of("git", "--git-dir=" + gitDir), Stream.of(args)).toList());
        return Processes.check(pb, Duration.ofSeconds(30));
    }

    private LocalCommandRunner.Execution deploy(Revision revision) {
        return deploy(revision, Map.of());
    }

    private LocalCommandRunner.Execution deploy(Revision revision, Map<String, String> overrides) {
        Map<String, String> parameters = new HashMap<>(sandbox.redeployParameters(revision));
        parameters.putAll(overrides);
        LocalCommandRunner.Execution run = runner.execute(UUID.randomUUID().toString(), DOCUMENT.resolve(parameters));
        assertThat(run.summary()).as("summary of\n" + run.stdout() + run.stderr()).isNotNull();
        return run;
    }

    private Observation observed() {
        return fleet.observe(sandbox.target());
    }

    private static JsonNode firstLine(LocalCommandRunner.Execution run) throws IOException {
        return JSON.readTree(run.stdout().lines().findFirst().orElseThrow());
    }

    private Path release(Revision r) {
        return sandbox.releases().resolve("releases").resolve(r.sha());
    }

    private List<String> releaseNames() throws IOException {
        try (Stream<Path> s = Files.list(sandbox.releases().resolve("releases"))) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }

    private Path copyOfV2() throws IOException {
        Path tree = Files.createDirectories(tmp.resolve("tree-" + UUID.randomUUID()));
        Path v2Sources = ProjectPaths.root().resolve("examples/streamr-app/v2");
        try (Stream<Path> files = Files.list(v2Sources)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) Files.copy(f, tree.resolve(f.getFileName()));
        }
        return tree;
    }

    private Revision commitOnTopOfV2(String file, String message, Instant date) throws IOException {
        Path tree = copyOfV2();
        Files.writeString(tree.resolve(file), message + "\n");
        return sandbox.repository().commit(tree, message, date);
    }
}
