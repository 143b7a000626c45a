package com.driftremediator.handler;

import com.driftremediator.domain.Attempt;
import com.driftremediator.domain.AttemptState;
import com.driftremediator.domain.InstanceResult;
import com.driftremediator.domain.Outcome;
import com.driftremediator.domain.RedeploySummary;
import com.driftremediator.domain.Report;
import com.driftremediator.domain.Revision;
import com.driftremediator.domain.Target;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * SnapStart priming. With SnapStart, Lambda runs the handler's constructor once when a version is published, calls
 * the runtime hooks' {@code beforeCheckpoint}, snapshots the JVM and starts every later execution environment from
 * that snapshot. Most of a cold drift check is loading, linking and interpreting the AWS SDK's classes of each
 * operation it calls, so before the snapshot this runs the path's own adapters {@link #ROUNDS} times against clients
 * that answer in-process ({@code AwsWiring.offline()}): the snapshot then holds those classes loaded and initialized
 * and their hot methods compiled. No credentials are resolved and no operation reaches AWS; the one thing that leaves
 * the process is {@link #TLS_ROUNDS} unsigned GETs of the function's SSM endpoint, for the TLS handshake those offline
 * calls cannot load (without them the first invocation after a restore takes half as long again). Registered only when
 * Lambda initializes for a snapshot ({@code AWS_LAMBDA_INITIALIZATION_TYPE=snap-start}, unless
 * {@code SNAPSTART_PRIMING=off}): an on-demand cold start does none of this, and does not even load this class.
 */
final class SnapStartPriming implements Resource {
    /** C1 compiles a method after about 50 calls with the template's CompileThresholdScaling=0.25. */
    static final int ROUNDS = 60;
    /**
     * The calls above never reach the network, so the first call after a restore would still load and interpret the
     * TLS handshake: that many real handshakes with the function's endpoint ({@code AwsWiring.warmUpTls}).
     */
    static final int TLS_ROUNDS = 5;
    private static final Revision DESIRED = Revision.of("0123456789abcdef0123456789abcdef01234567");
    private static final Revision PREVIOUS = Revision.of("89abcdef0123456789abcdef0123456789abcdef");
    private static final Target TARGET = new Target("i-00000000000000000");
    /** Events of the documented shapes (another account's stack and document: the parse ends in "ignored"). */
    private static final String STACK_UPDATE_COMPLETE = """
            {"version":"0","id":"00000000-0000-0000-0000-000000000000","detail-type":"CloudFormation Stack Status Change",
            "source":"aws.cloudformation","account":"000000000000","time":"2026-01-01T00:00:00Z","region":"us-east-1",
            "resources":["arn:aws:cloudformation:us-east-1:000000000000:stack/priming/0"],
            "detail":{"stack-id":"arn:aws:cloudformation:us-east-1:000000000000:stack/priming/0",
            "status-details":{"status":"UPDATE_COMPLETE","status-reason":""}}}""";
    private static final String COMMAND_SUCCESS = """
            {"version":"0","id":"00000000-0000-0000-0000-000000000000",
            "detail-type":"EC2 Command Invocation Status-change Notification","source":"aws.ssm",
            "account":"000000000000","time":"2026-01-01T00:00:00Z","region":"us-east-1",
            "resources":["arn:aws:ec2:us-east-1:000000000000:instance/i-00000000000000000"],
            "detail":{"command-id":"00000000-0000-0000-0000-000000000000","document-name":"priming",
            "instance-id":"i-00000000000000000","requested-date-time":"2026-01-01T00:00:00.000Z","status":"Success"}}""";
    /** org.crac holds registered resources weakly. */
    private static final List<SnapStartPriming> REGISTERED = new CopyOnWriteArrayList<>();

    /** One call of a path, in the order the handler makes them. */
    record Step(String name, Consumer<AwsWiring> call) {
    }

    /** A function's path. Kept apart from the outer class so that an on-demand start never initializes it. */
    enum Path {
        DRIFT_CHECK, COMMAND_RESULT;

        /** When Lambda initializes for a snapshot, registers this path's priming for the checkpoint; returns the wiring. */
        AwsWiring primeBeforeSnapshot(AwsWiring wiring) {
            if (wiring.initializingForSnapshot()) register(new SnapStartPriming(wiring, steps(this)));
            return wiring;
        }
    }

    /** The path's calls; built when priming runs, not when the class loads. */
    static List<Step> steps(Path path) {
        return switch (path) {
            // DriftCheckFunction: stack, ledger, targets and their observation (SSM), claim, SendCommand, ledger, SNS.
            case DRIFT_CHECK -> List.of(
                    new Step("parse event", w -> w.parser().driftCheck(STACK_UPDATE_COMPLETE)),
                    new Step("desired revision", w -> w.revisionSource().desired()),
                    new Step("ledger attempts", w -> w.ledger().attempts(w.environment())),
                    new Step("lock", w -> w.ledger().lock(w.environment())),
                    new Step("targets", w -> w.fleet().targets()),
                    new Step("observe", w -> w.fleet().observeAll(List.of(TARGET), Instant.now().plusSeconds(1))),
                    new Step("claim", w -> w.ledger().claim(attempt(w, AttemptState.PENDING), Instant.now(), Instant.now())),
                    new Step("send redeploy", w -> w.runner().sendRedeploy(attempt(w, AttemptState.PENDING), List.of(TARGET))),
                    new Step("start attempt", w -> w.ledger().transition(attempt(w, AttemptState.IN_PROGRESS),
                            AttemptState.PENDING)),
                    new Step("extend lock", w -> w.ledger().extendLock(w.environment(), attempt(w, AttemptState.PENDING).id(),
                            Instant.now())),
                    new Step("publish", w -> w.notifier().publish(report(w, Outcome.STARTED))));
            // CommandResultFunction: the command's result, the verifying observation, the ledger, SNS.
            case COMMAND_RESULT -> List.of(
                    new Step("parse event", w -> w.parser().commandResult(COMMAND_SUCCESS)),
                    new Step("command result", w -> w.runner().result("00000000-0000-0000-0000-000000000000", TARGET)
                            .map(r -> RedeploySummary.parse(r.stdout()))),
                    new Step("find attempt", w -> w.ledger().find(w.environment(), attempt(w, AttemptState.PENDING).id())),
                    new Step("observe", w -> w.fleet().observeAll(List.of(TARGET), Instant.now().plusSeconds(1))),
                    new Step("record result", w -> w.ledger().recordResult(w.environment(), attempt(w, AttemptState.PENDING).id(),
                            TARGET.instanceId(), new InstanceResult(Outcome.REMEDIATED, false, "priming"))),
                    new Step("finish attempt", w -> w.ledger().transition(attempt(w, AttemptState.SUCCEEDED),
                            AttemptState.IN_PROGRESS)),
                    new Step("release lock", w -> w.ledger().releaseLock(w.environment(), attempt(w, AttemptState.PENDING).id())),
                    new Step("publish", w -> w.notifier().publish(report(w, Outcome.REMEDIATED))));
        };
    }

    private final AwsWiring wiring;
    private final List<Step> steps;
    /** The AWS operations the last priming answered in-process (for the test). */
    volatile List<String> lastOperations = List.of();

    SnapStartPriming(AwsWiring wiring, List<Step> steps) {
        this.wiring = wiring;
        this.steps = steps;
    }

    private static void register(SnapStartPriming priming) {
        REGISTERED.add(priming);
        Core.getGlobalContext().register(priming);
    }

    /** The primings registered in this JVM. */
    static List<SnapStartPriming> registered() {
        return List.copyOf(REGISTERED);
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        long start = System.nanoTime();
        List<String> failures = prime(ROUNDS);
        long calls = System.nanoTime();
        String tls = wiring.warmUpTls(TLS_ROUNDS);
        System.err.println("SnapStart priming: " + ROUNDS + " rounds of " + steps.size() + " calls in "
                + (calls - start) / 1_000_000 + " ms" + (failures.isEmpty() ? "" : "; failed: " + failures)
                + "; TLS warm-up in " + (System.nanoTime() - calls) / 1_000_000 + " ms"
                + (tls == null ? " (" + TLS_ROUNDS + " handshakes)" : ", stopped: " + tls));
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // nothing to renew: priming resolved no credentials, and no client can be handed its TLS warm-up's connections
    }

    /**
     * Runs every step {@code rounds} times over one offline wiring; returns the steps that failed in the first round
     * (with the exception's class). Failures never stop priming: a step that failed still loaded what it reached.
     */
    List<String> prime(int rounds) {
        AwsWiring offline = wiring.offline();
        List<String> failures = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            for (Step step : steps) {
                try {
                    step.call().accept(offline);
                } catch (RuntimeException | LinkageError e) {
                    if (round == 0) failures.add(step.name() + " (" + e.getClass().getSimpleName() + ")");
                }
            }
        }
        lastOperations = offline.offlineOperations();
        return failures;
    }

    private static Attempt attempt(AwsWiring w, AttemptState state) {
        Instant now = Instant.now();
        return new Attempt(w.environment(), DESIRED, 1, state, Map.of("00000000-0000-0000-0000-000000000000",
                List.of(TARGET.instanceId())), List.of(TARGET.instanceId()), PREVIOUS, "priming", now, now, Map.of(), null);
    }

    private static Report report(AwsWiring w, Outcome outcome) {
        Instant now = Instant.now();
        return new Report(w.environment(), w.stackName(), List.of(TARGET.instanceId()), DESIRED, PREVIOUS,
                "stack output", "priming", outcome, "00000000-0000-0000-0000-000000000000", now, now,
                Map.of("command", "https://console.aws.amazon.com/"), null);
    }
}
