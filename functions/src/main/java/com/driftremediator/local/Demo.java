package com.driftremediator.local;

import com.driftremediator.domain.CheckResult;
import com.driftremediator.domain.Decision;
import com.driftremediator.domain.DriftCheck;
import com.driftremediator.domain.Outcome;
import com.driftremediator.domain.RedeploySummary;
import com.driftremediator.domain.RemediationResults;
import com.driftremediator.domain.Report;
import com.driftremediator.domain.Revision;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * The incident, replayed in the sandbox and fixed: an instance provisioned by UserData at the old commit,
 * a push and a "successful" stack update that leave it serving old code, then the drift check that
 * DriftCheckFunction runs (same use case, sandbox adapters), the redeploy through the real
 * RedeployDocument script, the result that CommandResultFunction records, and the notification.
 */
public final class Demo {
    public static final String ENVIRONMENT = "sandbox";
    public static final String EVENT = "events/cloudformation-update-complete.json";

    public enum Scenario {
        /** The new commit is deployed: the instance ends serving it. */
        STALE("stale", "v2"),
        /** The desired commit crashes at start: the document rolls back, the old commit serves again. */
        BAD_RELEASE("bad-release", "v3-broken");

        public final String id;
        final String desiredCommit;

        Scenario(String id, String desiredCommit) {
            this.id = id;
            this.desiredCommit = desiredCommit;
        }

        public static Scenario of(String id) {
            for (Scenario s : values()) if (s.id.equals(id)) return s;
            throw new IllegalArgumentException("unknown scenario '" + id + "' (stale or bad-release)");
        }
    }

    /** What the instance runs: revision on disk, revision served by /version, HTTP status of /streams/live. */
    public record State(Revision revision, Revision served, int liveStatus) {
    }

    public record Result(Scenario scenario, Revision desired, State before, State after, Outcome outcome,
                         String commandId, long durationMs) {
        /** stale: the desired revision serves; bad-release: rolled back and the same revision serves as before. */
        public boolean asDesigned() {
            return switch (scenario) {
                case STALE -> after.served() != null && after.served().equals(desired);
                case BAD_RELEASE -> outcome == Outcome.ROLLED_BACK && after.served() != null
                        && Objects.equals(after.served(), before.served());
            };
        }
    }

    private static final String OLD_COMMIT = "v1";

    private final Path projectRoot;
    private final PrintStream progress;
    private long startedNanos;

    /** {@code projectRoot} holds template.yaml, events/ and examples/; progress lines go to {@code progress}. */
    public Demo(Path projectRoot, PrintStream progress) {
        this.projectRoot = projectRoot;
        this.progress = progress;
    }

    /** Runs the scenario in {@code workdir}; the sandbox's processes are stopped at the end unless {@code keep}. */
    public Result run(Scenario scenario, Path workdir, boolean keep) {
        startedNanos = System.nanoTime();
        RedeployScript document = RedeployScript.fromTemplate(projectRoot.resolve("template.yaml"));
        CloudFormationStatusEvent event = CloudFormationStatusEvent.parse(read(projectRoot.resolve(EVENT)));
        say("creating the sandbox in " + workdir);
        Sandbox sandbox = Sandbox.create(workdir, projectRoot.resolve("examples/streamr-app"));
        try {
            SampleRepository repo = sandbox.repository();
            Revision old = repo.revision(OLD_COMMIT);
            Revision desired = repo.revision(scenario.desiredCommit);
            repo.push(old);
            say("booting " + sandbox.target() + ": cloud-init runs the stack's UserData, which installs streamr-app at "
                    + old.shortSha() + " (" + sandbox.root().resolve("var/log/cloud-init-output.log") + ")");
            sandbox.provision(old);
            LocalFleet fleet = new LocalFleet(sandbox);
            say("  serving " + brief(fleet.served()) + " on " + sandbox.url("/"));

            repo.push(desired);
            say("the pipeline pushes " + desired.shortSha() + " (" + scenario.desiredCommit + ") to main and updates stack "
                    + event.stackName() + ": " + event.status() + "; UserData does not run again");
            State before = state(sandbox, fleet);
            say("  the instance is stale: app directory at " + brief(before.revision()) + ", /version says "
                    + brief(before.served()) + ", /streams/live answers " + before.liveStatus());

            say("EventBridge delivers " + EVENT + " to the drift check (DriftCheckFunction's use case)");
            LocalCommandRunner runner = new LocalCommandRunner(sandbox, document, Duration.ofMinutes(5));
            InMemoryLedger ledger = new InMemoryLedger();
            TextNotifier notifier = new TextNotifier(progress);
            Clock clock = Clock.systemUTC();
            CheckResult check = new DriftCheck(ENVIRONMENT, event.stackName(), fleet, new LocalRevisionSource(repo),
                    runner, ledger, notifier, clock).run(event.trigger());
            for (CheckResult.TargetResult t : check.targets()) {
                say("  " + t.target() + ": " + t.verdict().sync() + "/" + t.verdict().health() + " "
                        + t.verdict().reasons() + " -> " + t.decision().action() + ": " + t.decision().reason());
            }

            Outcome outcome;
            if (check.commandId() != null) {
                RedeploySummary summary = runner.execution(check.commandId(), sandbox.target()).summary();
                say("RedeployDocument ran on " + sandbox.target() + ": " + (summary == null ? "no summary"
                        : summary.result() + " (exit " + summary.exitCode() + "): " + summary.message()));
                say("the command result reaches CommandResultFunction's use case, which verifies /version");
                outcome = new RemediationResults(ENVIRONMENT, event.stackName(), fleet, runner, ledger, notifier, clock)
                        .record(check.commandId(), sandbox.target()).map(Report::outcome).orElse(Outcome.FAILED);
            } else {
                outcome = check.targets().stream().allMatch(t -> t.decision().action() == Decision.Action.NOOP)
                        ? Outcome.NOOP : Outcome.SKIPPED;
            }
            State after = state(sandbox, fleet);
            say("after: app directory at " + brief(after.revision()) + ", /version says " + brief(after.served())
                    + ", /streams/live answers " + after.liveStatus());
            Result result = new Result(scenario, desired, before, after, outcome, check.commandId(), elapsedMs());
            say(result.asDesigned() ? "the " + scenario.id + " scenario ended as designed: " + outcome
                    : "the " + scenario.id + " scenario did NOT end as designed: " + outcome);
            return result;
        } finally {
            if (keep) {
                say("--keep: the app keeps running on " + sandbox.url("/") + "; stop it with "
                        + sandbox.workdir().resolve("bin/systemctl") + " stop " + Sandbox.SERVICE);
            } else {
                sandbox.close();
            }
        }
    }

    static State state(Sandbox sandbox, LocalFleet fleet) {
        return new State(fleet.onDisk(), fleet.served(), Probe.status(sandbox.url("/streams/live")));
    }

    private void say(String line) {
        progress.printf(Locale.ROOT, "[%5.1fs] %s%n", elapsedMs() / 1000.0, line);
    }

    private long elapsedMs() {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    private static String brief(Revision r) {
        return r == null ? "nothing" : r.shortSha();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
