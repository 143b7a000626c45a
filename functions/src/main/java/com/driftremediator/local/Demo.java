package com.driftremediator.local;

import com.driftremediator.domain.Attempt;
import com.driftremediator.domain.CheckResult;
import com.driftremediator.domain.CommandRunner;
import com.driftremediator.domain.Decision;
import com.driftremediator.domain.DesiredRevision;
import com.driftremediator.domain.Diagnoser;
import com.driftremediator.domain.Diagnosis;
import com.driftremediator.domain.DriftCheck;
import com.driftremediator.domain.Observation;
import com.driftremediator.domain.Outcome;
import com.driftremediator.domain.RedeploySummary;
import com.driftremediator.domain.RemediationResults;
import com.driftremediator.domain.Report;
import com.driftremediator.domain.Revision;
import com.driftremediator.domain.Target;
import com.driftremediator.domain.Trigger;
import com.driftremediator.handler.EventParser;
import com.driftremediator.slack.RenderContext;
import com.driftremediator.slack.SlackMessage;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Locale;
import java.util.Objects;

/**
 * The incident, replayed in the sandbox and fixed: an instance provisioned by UserData at the old commit,
 * a push and a "successful" stack update that leave it serving old code, then the drift check that
 * DriftCheckFunction runs (same use case, sandbox adapters), the redeploy through the real
 * RedeployDocument, the result that CommandResultFunction records, and the notification. Every look at the
 * instance runs ObserveDocument or DiagnoseDocument on it.
 */
public final class Demo {
    public static final String ENVIRONMENT = "sandbox";
    public static final String EVENT = "events/cloudformation-update-complete.json";
    /** The app stack the sandbox instance belongs to, as named in {@link #EVENT}. */
    static final String STACK = "streamr-p2p-beta";

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

    /**
     * @param diagnosis    the stale instance diagnosed before the remediation
     * @param notification the last notification, as SlackNotifierFunction would post it
     */
    public record Result(Scenario scenario, Revision desired, State before, State after, Outcome outcome,
                         String commandId, long durationMs, Diagnosis diagnosis, SlackMessage notification) {
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
        Path template = projectRoot.resolve("template.yaml");
        SsmDocument redeploy = SsmDocument.fromTemplate(template, "RedeployDocument");
        SsmDocument observe = SsmDocument.fromTemplate(template, "ObserveDocument");
        SsmDocument diagnose = SsmDocument.fromTemplate(template, "DiagnoseDocument");
        // The same parser DriftCheckFunction uses, configured for the sandbox's stack.
        EventParser.Parsed parsed = new EventParser(new EventParser.Config(STACK, "main", null, null, null))
                .driftCheck(read(projectRoot.resolve(EVENT)));
        if (!(parsed instanceof EventParser.Check stackEvent)) {
            throw new IllegalStateException(EVENT + " does not start a drift check: " + parsed);
        }
        Trigger trigger = stackEvent.trigger();
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
            LocalFleet fleet = new LocalFleet(sandbox, observe);
            say("  serving " + brief(sandbox.served()) + " on " + sandbox.url("/"));

            repo.push(desired);
            Instant stackUpdatedAt = Instant.now();
            say("the pipeline pushes " + desired.shortSha() + " (" + scenario.desiredCommit + ") to main and the stack update completes ("
                    + trigger.detail() + "); UserData does not run again");
            State before = state(sandbox, fleet);
            say("  the instance is stale: app directory at " + brief(before.revision()) + ", /version says "
                    + brief(before.served()) + ", /streams/live answers " + before.liveStatus());
            Diagnoser diagnoser = new Diagnoser(new LocalDiagnosticSource(sandbox, diagnose, new LocalDiagnosticSource.Stack(
                    STACK, stackUpdatedAt, new DesiredRevision(desired, DesiredRevision.Origin.BRANCH_HEAD, "main"))), STACK);
            Diagnosis diagnosis = diagnoser.diagnose(sandbox.target(), STACK, null);
            say("diagnosis (DiagnoseFunction's use case, DiagnoseDocument run on the instance): " + diagnosis.verdict()
                    + ": " + diagnosis.explanation());

            say("EventBridge delivers " + EVENT + " to the drift check (DriftCheckFunction's use case)");
            LocalCommandRunner runner = new LocalCommandRunner(sandbox, redeploy);
            CommandRunner announced = new CommandRunner() {
                @Override
                public String sendRedeploy(Attempt attempt, List<Target> targets) {
                    say("  out of sync: SendCommand RedeployDocument Revision=" + attempt.revision().shortSha() + " to " + targets);
                    return runner.sendRedeploy(attempt, targets);
                }

                @Override
                public Optional<CommandResult> result(String commandId, Target target) {
                    return runner.result(commandId, target);
                }

                @Override
                public List<SentCommand> sentFor(Attempt attempt) {
                    return runner.sentFor(attempt);
                }
            };
            InMemoryLedger ledger = new InMemoryLedger();
            TextNotifier notifier = new TextNotifier(progress,
                    new RenderContext(null, sandbox.url("/").toString(), null));
            Clock clock = Clock.systemUTC();
            CheckResult check = new DriftCheck(ENVIRONMENT, STACK, fleet, new LocalRevisionSource(repo),
                    announced, ledger, notifier, clock).run(trigger);
            for (CheckResult.TargetResult t : check.targets()) {
                say("drift check: " + t.target() + ": " + t.verdict().sync() + "/" + t.verdict().health() + " "
                        + t.verdict().reasons() + " -> " + t.decision().action() + ": " + t.decision().reason());
            }

            Outcome outcome;
            if (check.commandId() != null) {
                RedeploySummary summary = runner.execution(check.commandId(), sandbox.target()).summary();
                say("RedeployDocument ran on " + sandbox.target() + ": " + (summary == null ? "no summary"
                        : summary.result() + " (exit " + summary.exitCode() + "): " + summary.message()));
                say("the command result reaches CommandResultFunction's use case, which verifies /version");
                outcome = new RemediationResults(ENVIRONMENT, STACK, fleet, runner, ledger, notifier,
                        diagnoser, clock)
                        .record(check.commandId(), sandbox.target()).published().map(Report::outcome).orElse(Outcome.FAILED);
            } else {
                outcome = check.targets().stream().allMatch(t -> t.decision().action() == Decision.Action.NOOP)
                        ? Outcome.NOOP : Outcome.SKIPPED;
            }
            State after = state(sandbox, fleet);
            say("after: app directory at " + brief(after.revision()) + ", /version says " + brief(after.served())
                    + ", /streams/live answers " + after.liveStatus());
            List<Report> reports = notifier.published();
            SlackMessage notification = reports.isEmpty() ? null : notifier.message(reports.get(reports.size() - 1));
            Result result = new Result(scenario, desired, before, after, outcome, check.commandId(), elapsedMs(),
                    diagnosis, notification);
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

    /** What ObserveDocument and /version say the instance runs, and what /streams/live answers. */
    static State state(Sandbox sandbox, LocalFleet fleet) {
        Observation o = fleet.observe(sandbox.target());
        return new State(o.onDisk(), o.served(), sandbox.status("/streams/live"));
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
