package com.driftremediator.local;

import com.driftremediator.aws.SsmFleet;
import com.driftremediator.domain.HostFacts;
import com.driftremediator.domain.Observation;
import com.driftremediator.domain.RedeploySummary;
import com.driftremediator.domain.Revision;
import com.driftremediator.domain.Verdict;
import com.driftremediator.testing.ProjectPaths;
import com.driftremediator.testing.WholeSeconds;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The on-instance layout is defined once, in RedeployDocument's header. One instance is driven by RedeployDocument
 * through every state of that layout; in each, ObserveDocument and DiagnoseDocument run on it, and what they report
 * is compared with each other, with Redeploy's summary and with what the app serves on /version. Observe's line goes
 * through SsmFleet's own parser into a Verdict. Nothing here reads the instance's files.
 */
class OnInstanceLayoutIT {
    private static final Path TEMPLATE = ProjectPaths.root().resolve("template.yaml");
    private static final SsmDocument REDEPLOY = SsmDocument.fromTemplate(TEMPLATE, "RedeployDocument");
    private static final SsmDocument OBSERVE = SsmDocument.fromTemplate(TEMPLATE, "ObserveDocument");
    private static final SsmDocument DIAGNOSE = SsmDocument.fromTemplate(TEMPLATE, "DiagnoseDocument");

    /** Not @TempDir: its clean-up warns about every venv link to the system python. */
    private Path tmp;
    private Sandbox sandbox;
    private LocalCommandRunner runner;
    private LocalFleet fleet;

    /** What the two read-only documents report at one moment. */
    private record Seen(Observation observed, HostFacts diagnosed) {
    }

    @BeforeEach
    void instance() throws IOException {
        tmp = Files.createTempDirectory("layout-it-");
        sandbox = Sandbox.create(tmp.resolve("sandbox"), ProjectPaths.root().resolve("examples/streamr-app"));
        runner = new LocalCommandRunner(sandbox, REDEPLOY);
        fleet = new LocalFleet(sandbox, OBSERVE);
    }

    @AfterEach
    void stopProcesses() throws IOException {
        sandbox.close();
        SampleRepository.clear(tmp);
    }

    @Test
    void observeAndDiagnoseReportWhatRedeployLeftInEveryStateOfTheLayout() throws Exception {
        SampleRepository repo = sandbox.repository();
        Revision v1 = repo.revision("v1");
        Revision v2 = repo.revision("v2");
        Revision bad = repo.revision("v3-broken");
        Revision uninstallable = commitOnTopOfV2("requirements.txt", "./vendor/never-committed", 1);
        Revision v2b = commitOnTopOfV2("README.md", "docs", 2);
        Revision v2c = commitOnTopOfV2("NOTES.md", "more docs", 3);
        sandbox.provision(v1);

        // A plain checkout, never redeployed: UserData's clone.
        Seen plain = seen();
        agree(plain, v1, "git");
        assertThat(plain.diagnosed().app().modifiedFiles()).as("observing changed nothing").isEmpty();
        synced(plain, v1);
        assertThat(Verdict.of(v2, plain.observed()).reasons())
                .containsExactly(Verdict.Reason.CODE_STALE, Verdict.Reason.SERVED_STALE);

        // Right after the migration: a run that moved the checkout into releases/ and then failed its install.
        WholeSeconds.after(plain.observed().serviceStartedAt());
        RedeploySummary failed = deploy(uninstallable, Map.of());
        assertThat(failed.exitCode()).isEqualTo(5);
        Seen migrated = seen();
        agree(migrated, failed.serving(), "release");
        assertThat(failed.serving()).isEqualTo(v1);
        assertThat(migrated.observed().releaseSwitchedAt()).as("a migration switches no code")
                .isEqualTo(plain.observed().releaseSwitchedAt());
        assertThat(migrated.observed().serviceStartedAt()).isEqualTo(plain.observed().serviceStartedAt());
        synced(migrated, v1);

        // The first release switched in.
        RedeploySummary first = deploy(v2, Map.of());
        assertThat(first.result()).isEqualTo("deployed");
        assertThat(first.previous()).isEqualTo(v1);
        Seen deployed = seen();
        agree(deployed, first.serving(), "release");
        assertThat(first.serving()).isEqualTo(v2);
        assertThat(deployed.observed().releaseSwitchedAt()).isAfterOrEqualTo(migrated.observed().releaseSwitchedAt());
        synced(deployed, v2);

        // Several releases, the oldest pruned.
        deploy(v2b, Map.of("KeepReleases", "2"));
        RedeploySummary third = deploy(v2c, Map.of("KeepReleases", "2"));
        assertThat(third.previous()).isEqualTo(v2b);
        Seen several = seen();
        agree(several, third.serving(), "release");
        assertThat(third.serving()).isEqualTo(v2c);
        synced(several, v2c);

        // An automatic rollback: the bad release keeps its BAD_RELEASE marker, the previous one serves again.
        RedeploySummary rolledBack = deploy(bad, Map.of("KeepReleases", "2"));
        assertThat(rolledBack.result()).isEqualTo("rolled_back");
        assertThat(rolledBack.message()).contains("BAD_RELEASE");
        Seen afterRollback = seen();
        agree(afterRollback, rolledBack.serving(), "release");
        assertThat(rolledBack.serving()).isEqualTo(v2c);
        assertThat(afterRollback.observed().releaseSwitchedAt()).isAfterOrEqualTo(several.observed().releaseSwitchedAt());
        synced(afterRollback, v2c);
        assertThat(Verdict.of(bad, afterRollback.observed()).reasons())
                .containsExactly(Verdict.Reason.CODE_STALE, Verdict.Reason.SERVED_STALE);

        // A good release deployed while the marked one is still among the releases.
        RedeploySummary afterBad = deploy(v2, Map.of("KeepReleases", "2"));
        assertThat(afterBad.result()).isEqualTo("deployed");
        assertThat(afterBad.previous()).isEqualTo(v2c);
        Seen marked = seen();
        agree(marked, afterBad.serving(), "release");
        assertThat(afterBad.serving()).isEqualTo(v2);
        synced(marked, v2);

        // The marked revision asked for again: rebuilt, unhealthy again, rolled back again.
        RedeploySummary again = deploy(bad, Map.of("KeepReleases", "2"));
        assertThat(again.result()).isEqualTo("rolled_back");
        Seen markedAgain = seen();
        agree(markedAgain, again.serving(), "release");
        assertThat(again.serving()).isEqualTo(v2);
        synced(markedAgain, v2);
    }

    /** Observe, Diagnose, Redeploy's summary and /version name the same revision and the same times. */
    private void agree(Seen seen, Revision serving, String layout) {
        Observation o = seen.observed();
        HostFacts d = seen.diagnosed();
        assertThat(o.onDisk()).as("Observe's onDisk").isEqualTo(serving);
        assertThat(o.served()).as("/version").isEqualTo(serving);
        assertThat(d.app().layout()).isEqualTo(layout);
        assertThat(d.app().revision()).as("Diagnose's revision").isEqualTo(serving);
        assertThat(d.service().processRevision()).as("Diagnose's process revision").isEqualTo(serving);
        assertThat(d.service().served()).as("Diagnose's served").isEqualTo(serving);
        assertThat(o.releaseSwitchedAt()).as("Observe's switch time").isNotNull()
                .isEqualTo(d.app().changedAt());
        assertThat(o.serviceStartedAt()).as("Observe's service start").isNotNull()
                .isEqualTo(d.service().startedAt());
        assertThat(o.healthy()).isTrue();
        assertThat(d.service().active()).isTrue();
    }

    /** The revision that runs is in sync, healthy, and its process is not older than its release. */
    private static void synced(Seen seen, Revision desired) {
        Verdict v = Verdict.of(desired, seen.observed());
        assertThat(v.sync()).as(v.explanation()).isEqualTo(Verdict.Sync.SYNCED);
        assertThat(v.health()).isEqualTo(Verdict.Health.HEALTHY);
    }

    private Seen seen() {
        Agent agent = new Agent(sandbox);
        Agent.Invocation observe = agent.run("observe-" + UUID.randomUUID(), OBSERVE,
                OBSERVE.resolve(sandbox.observeParameters()));
        assertThat(observe.status()).as(observe.stderr()).isEqualTo("Success");
        assertThat(observe.stdout().lines()).as("one JSON line").hasSize(1);
        Agent.Invocation diagnose = agent.run("diagnose-" + UUID.randomUUID(), DIAGNOSE,
                DIAGNOSE.resolve(sandbox.diagnoseParameters()));
        assertThat(diagnose.status()).as(diagnose.stderr()).isEqualTo("Success");
        return new Seen(SsmFleet.observation(sandbox.target(), observe.stdout(), sandbox.served()),
                HostFacts.parse(diagnose.stdout()));
    }

    private RedeploySummary deploy(Revision revision, Map<String, String> overrides) {
        Map<String, String> parameters = new HashMap<>(sandbox.redeployParameters(revision));
        parameters.putAll(overrides);
        LocalCommandRunner.Execution run = runner.execute(UUID.randomUUID().toString(), REDEPLOY.resolve(parameters));
        assertThat(run.summary()).as(run.stdout() + run.stderr()).isNotNull();
        return run.summary();
    }

    /** A commit of the sample repository: v2's files with one file written. */
    private Revision commitOnTopOfV2(String file, String text, int n) throws IOException {
        Path tree = Files.createDirectories(tmp.resolve("tree-" + n));
        try (Stream<Path> files = Files.list(ProjectPaths.root().resolve("examples/streamr-app/v2"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) Files.copy(f, tree.resolve(f.getFileName()));
        }
        Files.writeString(tree.resolve(file), text + "\n");
        return sandbox.repository().commit(tree, file + ": " + text, Instant.parse("2026-11-27T08:00:00Z").plusSeconds(n));
    }
}
