package com.driftremediator.cli;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.driftremediator.aws.AwsClients;
import com.driftremediator.aws.Settings;
import com.driftremediator.aws.DynamoLedger;
import com.driftremediator.domain.Attempt;
import com.driftremediator.domain.Ledger;
import com.driftremediator.domain.Revision;
import com.driftremediator.emulator.AwsFront;
import com.driftremediator.emulator.EventRouter;
import com.driftremediator.handler.AwsWiring;
import com.driftremediator.handler.CommandResultHandler;
import com.driftremediator.handler.DriftCheckHandler;
import com.driftremediator.local.Sandbox;
import com.driftremediator.testing.MotoServer;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.Command;
import software.amazon.awssdk.services.ssm.model.CommandInvocation;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A day in the life, model-based: seeded random sequences of what happens to an environment after its first
 * deploy (stack updates naming a revision, pushes, late and duplicated deliveries, schedule ticks, an Auto Scaling
 * group's instance replaced by a new one that UserData boots at the old commit, scale-out, a fetch that fails for a
 * while, a bad release, a check that dies between SendCommand and its ledger write, an operator's retry, two checks
 * at once, two checks of two revisions), in stack mode (even seeds) and branch mode (odd seeds: fast-forward and
 * forced pushes, late deliveries of older pushes), driven through the real handlers and AWS adapters against the
 * emulator, whose instances run the documents. After every step a reference model says what each instance must
 * serve, and the invariants are checked. Prints sequences, steps, violations and convergence ticks;
 * -Dday.sequences=N runs more (-Dday.seed, -Dday.steps).
 */
class DayInTheLifeIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long SEED = Long.getLong("day.seed", 20261203L);
    private static final int SEQUENCES = Integer.getInteger("day.sequences", 2);
    private static final int STEPS = Integer.getInteger("day.steps", 8);
    /** Schedule ticks within which every instance serves the authority's deployable revision. */
    private static final int CONVERGE_WITHIN_TICKS = 3;
    private static final Duration QUIET = Duration.ofMinutes(2);
    private static final List<Revision> COMMITS = List.of(SampleEnvironment.BOOTED, SampleEnvironment.DESIRED,
            SampleEnvironment.BAD_RELEASE);

    /** Instances the Auto Scaling group may add in one sequence (each boots by UserData: seconds of this machine). */
    private static final int MAX_SCALE_OUTS = 2;

    private enum Step {
        STACK_UPDATE, PUSH, REDELIVER, TICK, REPLACE, SCALE_OUT, FETCH_FAILS, CRASH, RETRY, CONCURRENT_TICKS, TWO_REVISIONS_AT_ONCE
    }

    /** The check's own write of a sent attempt (IN_PROGRESS over PENDING), not an adoption of one. */
    private static final AwsFront.Fault CRASH_AFTER_SEND = new AwsFront.Fault("DynamoDB_20120810.UpdateItem",
            body -> body.contains("\":to\":{\"S\":\"IN_PROGRESS\"}") && !body.contains("adopted"));

    private final List<String> violations = new ArrayList<>();
    private final List<Integer> convergence = new ArrayList<>();
    private final Map<String, Integer> happened = new java.util.TreeMap<>();
    private int steps;

    @Test
    void noInvariantBreaksOverSeededSequencesAndEveryInstanceConverges() throws Exception {
        for (int s = 0; s < SEQUENCES; s++) {
            runSequence(SEED + s);
        }
        List<Integer> sorted = convergence.stream().sorted().toList();
        System.out.printf("day in the life: %d sequences, %d steps, %d violations, convergence ticks p50 %s max %s%n",
                SEQUENCES, steps, violations.size(), sorted.isEmpty() ? "-" : sorted.get(sorted.size() / 2),
                sorted.isEmpty() ? "-" : sorted.get(sorted.size() - 1));
        System.out.println("  steps and events: " + happened);
        violations.forEach(v -> System.out.println("  violation: " + v));
        assertThat(violations).isEmpty();
        assertThat(convergence).as("sequences that converged at least once").isNotEmpty();
    }

    /** One environment's day: the model beside the product, compared after each step. */
    private void runSequence(long seed) throws Exception {
        Random random = new Random(seed);
        Path state = Files.createTempDirectory("day-in-the-life-");
        Map<String, RequestStreamHandler> handlers = new ConcurrentHashMap<>();
        List<String> errors = new CopyOnWriteArrayList<>();
        List<String> trace = new CopyOnWriteArrayList<>();
        boolean branchMode = (seed & 1) == 1;
        Emulator[] holder = new Emulator[1];
        EventRouter.Functions inProcess = (function, event) -> invoke(holder[0], handlers, function, event, errors, trace,
                branchMode ? "branch" : "stack");
        int port = MotoServer.freePort();
        try (Emulator emulator = Emulator.start(new Emulator.Config(state, port, "streamr-p2p-beta", 2, null, null, inProcess));
             SsmClient ssm = emulator.clients().build(SsmClient.builder());
             CloudFormationClient cfn = emulator.clients().build(CloudFormationClient.builder());
             DynamoDbClient dynamo = emulator.clients().build(DynamoDbClient.builder())) {
            holder[0] = emulator;
            Ledger ledger = new DynamoLedger(dynamo, emulator.environment().variables().get("LEDGER_TABLE"));
            String prod = prodInstance(cfn, port);
            // stack mode: the stack names the new commit from the start; branch mode: no push yet, no authority
            Model model = new Model(branchMode ? null : SampleEnvironment.DESIRED);
            List<String> delivered = new ArrayList<>();
            String label = "seed " + seed + (branchMode ? " (branch)" : " (stack)");
            long[] pushedAt = {1_796_000_000L};
            int scaleOuts = 0;
            for (int n = 0; n < STEPS; n++) {
                Step step = pick(random);
                count(step.name());
                String what = label + " step " + n + " " + step;
                int before = redeploys(ssm, emulator).size();
                switch (step) {
                    case STACK_UPDATE -> {
                        if (branchMode) {
                            what += " push " + push(emulator, delivered, model, random, pushedAt);
                        } else {
                            Revision next = another(model.authority, random);
                            emulator.setStackRevision(next);
                            model.authorityNames(next);
                            what += " " + next.shortSha();
                            deliver(emulator, delivered, "default", fixture("cloudformation-update-complete.json"));
                        }
                    }
                    case PUSH -> {
                        if (branchMode) {
                            what += " " + push(emulator, delivered, model, random, pushedAt);
                        } else {
                            // a push only wakes the check in stack mode, whatever it names
                            Revision pushed = random.nextBoolean() ? COMMITS.get(random.nextInt(COMMITS.size()))
                                    : Revision.of(String.format("%040x", random.nextLong() & Long.MAX_VALUE));
                            what += " " + pushed.shortSha();
                            deliver(emulator, delivered, emulator.environment().variables().get("EVENT_BUS_NAME"),
                                    pushEvent(model.authority, pushed, pushedAt[0]++, false));
                        }
                    }
                    case TWO_REVISIONS_AT_ONCE -> {
                        if (branchMode) continue;
                        // the pipeline updates the stack twice in a row: two checks, each may read another revision
                        Revision first = another(model.authority, random);
                        emulator.setStackRevision(first);
                        Thread check = new Thread(() -> emulator.deliver("default", fixture("cloudformation-update-complete.json")));
                        check.start();
                        Revision second = another(first, random);
                        emulator.setStackRevision(second);
                        emulator.deliver("default", fixture("cloudformation-update-complete.json"));
                        check.join();
                        model.allowed.add(first);
                        model.authorityNames(second);
                        what += " " + first.shortSha() + " then " + second.shortSha();
                    }
                    case REDELIVER -> {
                        if (delivered.isEmpty()) continue;
                        String again = delivered.get(random.nextInt(delivered.size()));
                        String[] busAndEvent = again.split("\n", 2);
                        emulator.deliver(busAndEvent[0], busAndEvent[1]);
                    }
                    case TICK -> {
                        emulator.deliver("default", fixture("schedule.json"));
                        model.tick();
                    }
                    case CONCURRENT_TICKS -> {
                        Thread other = new Thread(() -> emulator.deliver("default", fixture("schedule.json")));
                        other.start();
                        emulator.deliver("default", fixture("schedule.json"));
                        other.join();
                        model.tick();
                    }
                    case REPLACE -> {
                        Emulator.Instance old = emulator.instances().get(random.nextInt(emulator.instances().size()));
                        if (emulator.inGroup(old)) {
                            what += " " + old.instanceId() + " by " + emulator.replace(old).instanceId();
                            count("replaced by a new instance");
                        } else {
                            reboot(old.sandbox());
                            what += " " + old.instanceId() + "'s disk";
                            count("re-imaged in place");
                        }
                        model.disturbed();
                    }
                    case SCALE_OUT -> {
                        if (scaleOuts++ >= MAX_SCALE_OUTS) continue;
                        what += " " + emulator.scaleOut().instanceId();
                        model.disturbed();
                    }
                    case RETRY -> {
                        // an operator's bin/remediator retry: a held bad release may be tried once more
                        inProcess.invoke("DriftCheckFunction", fixture("manual-retry.json"));
                        model.held = false;
                    }
                    case CRASH -> {
                        // drift to remediate, and the check that sends its redeploy dies before recording it
                        Sandbox drifted = emulator.sandboxes().get(random.nextInt(emulator.sandboxes().size()));
                        reboot(drifted);
                        emulator.front().failOnce(CRASH_AFTER_SEND);
                        emulator.deliver("default", fixture("schedule.json"));
                        emulator.awaitQuiet(QUIET);
                        if (!emulator.front().disarm()) {
                            count("check crashed after SendCommand");
                            what += " (crashed after sending)";
                            errors.removeIf(e -> e.contains(AwsFront.INJECTED));
                        }
                        model.tick();
                        model.disturbed();
                    }
                    case FETCH_FAILS -> {
                        Sandbox replaced = emulator.sandboxes().get(random.nextInt(emulator.sandboxes().size()));
                        reboot(replaced);
                        Path repo = emulator.repository().gitDir();
                        Path away = repo.resolveSibling("away.git");
                        Files.move(repo, away);
                        emulator.deliver("default", fixture("schedule.json"));
                        emulator.awaitQuiet(QUIET);
                        Files.move(away, repo);
                        model.disturbed();
                    }
                }
                emulator.awaitQuiet(QUIET);
                trace.add(what + ": serving " + emulator.instances().stream().map(i -> served(i.sandbox()).substring(0, 7)).toList());
                steps++;
                List<Sent> sent = redeploys(ssm, emulator);
                check(what, model, sent.subList(before, sent.size()), sent, prod, emulator, errors);
                settled(what, ledger);
            }
            for (int tick = 0; tick <= CONVERGE_WITHIN_TICKS && !model.converged(); tick++) {
                emulator.deliver("default", fixture("schedule.json"));
                model.tick();
                emulator.awaitQuiet(QUIET);
                check(label + " final tick " + tick, model, List.of(), redeploys(ssm, emulator), prod, emulator, errors);
            }
            if (!model.converged()) violations.add(label + ": not converged to " + model.deployable() + " at the end");
            if (violations.stream().anyMatch(v -> v.startsWith(label + " ") || v.startsWith(label + ":"))) {
                System.out.println("trace of " + label + ":");
                trace.forEach(System.out::println);
            }
        } finally {
            com.driftremediator.local.SampleRepository.clear(state);
        }
    }

    /** The reference model: what the authority names, which release is held back as bad, how long since a change. */
    private final class Model {
        Revision authority;
        /** Revisions a check of this step may also command (two checks read the authority at different moments). */
        final java.util.Set<Revision> allowed = new java.util.HashSet<>();
        /** Branch mode: the head's push time. */
        long headPushedAt;
        boolean held;
        int ticksSinceChange;
        boolean converged;

        Model(Revision authority) {
            this.authority = authority;
        }

        void authorityNames(Revision next) {
            if (!next.equals(authority)) held = false;
            authority = next;
            disturbed();
        }

        void disturbed() {
            ticksSinceChange = 0;
            converged = false;
        }

        void tick() {
            ticksSinceChange++;
        }

        /** What every instance must come to serve; null: anything but the bad release (nothing healthy to go to). */
        Revision deployable() {
            return authority == null || authority.equals(SampleEnvironment.BAD_RELEASE) ? null : authority;
        }

        boolean converged() {
            return converged;
        }
    }

    private void check(String what, Model model, List<Sent> now, List<Sent> all, String prod, Emulator emulator,
                       List<String> errors) {
        for (String e : errors) violations.add(what + ": a function failed: " + e);
        errors.clear();
        for (Sent s : now) {
            if (!s.revision().equals(model.authority) && !model.allowed.contains(s.revision())) {
                violations.add(what + ": commanded " + s.revision().shortSha() + " while the authority names "
                        + (model.authority == null ? "nothing" : model.authority.shortSha()));
            }
            if (model.held && s.revision().equals(SampleEnvironment.BAD_RELEASE)) {
                violations.add(what + ": the bad release was redeployed automatically");
            }
        }
        if (now.stream().anyMatch(s -> s.revision().equals(SampleEnvironment.BAD_RELEASE))) model.held = true;
        model.allowed.clear();
        for (Sent s : all) {
            if (s.instances().contains(prod)) violations.add(what + ": command " + s.id() + " reached prod's instance");
        }
        for (int i = 0; i < all.size(); i++) {
            for (int j = i + 1; j < all.size(); j++) {
                Sent a = all.get(i);
                Sent b = all.get(j);
                if (a.start().isBefore(b.end()) && b.start().isBefore(a.end()) && !a.id().equals(b.id())) {
                    violations.add(what + ": redeploys " + a.id() + " and " + b.id() + " were in flight together");
                }
            }
        }
        Revision want = model.deployable();
        boolean all0k = emulator.instances().stream().allMatch(i -> {
            String served = served(i.sandbox());
            return want == null ? !SampleEnvironment.BAD_RELEASE.sha().equals(served) : want.sha().equals(served);
        });
        if (all0k && !model.converged) {
            model.converged = true;
            convergence.add(model.ticksSinceChange);
        } else if (!all0k && model.ticksSinceChange > CONVERGE_WITHIN_TICKS) {
            violations.add(what + ": not serving " + want + " after " + model.ticksSinceChange + " ticks");
        }
        if (!all0k) model.converged = false;
    }

    /**
     * Once nothing runs, nothing is in flight in the ledger and the environment lock is free: a check that died
     * after sending is adopted by its results, not left PENDING behind a lock that blocks the next redeploy.
     */
    private void settled(String what, Ledger ledger) {
        for (Attempt a : ledger.attempts(Emulator.ENVIRONMENT)) {
            if (a.state().inFlight()) violations.add(what + ": attempt " + a.id() + " still " + a.state() + " when all is quiet");
        }
        ledger.lock(Emulator.ENVIRONMENT).ifPresent(l -> violations.add(what + ": the environment lock is still held by "
                + l.attemptId() + " when all is quiet"));
    }

    private record Sent(String id, Revision revision, List<String> instances, Instant start, Instant end) {
    }

    /** Every RedeployDocument command so far, oldest first, with when its invocations ran. */
    private static List<Sent> redeploys(SsmClient ssm, Emulator emulator) {
        String document = emulator.environment().variables().get("REDEPLOY_DOCUMENT");
        List<Sent> out = new ArrayList<>();
        for (Command c : ssm.listCommandsPaginator(r -> { }).commands()) {
            if (!document.equals(c.documentName())) continue;
            List<CommandInvocation> runs = ssm.listCommandInvocations(r -> r.commandId(c.commandId()).details(true))
                    .commandInvocations();
            Instant start = runs.stream().flatMap(i -> i.commandPlugins().stream()).map(p -> p.responseStartDateTime())
                    .filter(java.util.Objects::nonNull).min(Instant::compareTo).orElse(c.requestedDateTime());
            Instant end = runs.stream().flatMap(i -> i.commandPlugins().stream()).map(p -> p.responseFinishDateTime())
                    .filter(java.util.Objects::nonNull).max(Instant::compareTo).orElse(Instant.MAX);
            out.add(new Sent(c.commandId(), Revision.of(c.parameters().get("Revision").get(0)), c.instanceIds(), start, end));
        }
        out.sort(java.util.Comparator.comparing(Sent::start));
        return out;
    }

    private static void invoke(Emulator emulator, Map<String, RequestStreamHandler> handlers, String function,
                               String event, List<String> errors, List<String> trace, String authority) {
        RequestStreamHandler handler = handlers.computeIfAbsent(function, f -> {
            Map<String, String> variables = new HashMap<>(emulator.functionVariables(f));
            variables.put("RETRY_BACKOFF_SECONDS", "0");
            variables.put("REVISION_AUTHORITY", authority);
            AwsWiring wiring = new AwsWiring(new Settings(variables), new AwsClients(Region.EU_WEST_1,
                    MotoServer.CREDENTIALS, emulator.endpoint()));
            return switch (f) {
                case "DriftCheckFunction" -> new DriftCheckHandler(wiring);
                case "CommandResultFunction" -> new CommandResultHandler(wiring);
                default -> null;
            };
        });
        if (handler == null) return;
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out,
                    new LocalContext(function, System.currentTimeMillis() + 120_000, 512));
            trace.add("    " + function + " -> " + out.toString(StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            errors.add(function + ": " + e);
        }
    }

    /**
     * Branch mode: a push of the branch, later than every push before it: forward from the head, or forced back to
     * an older commit (a deliberate rollback, which the head follows). Returns what it did.
     */
    private static String push(Emulator emulator, List<String> delivered, Model model, Random random, long[] pushedAt) {
        Revision next = another(model.authority, random);
        boolean forced = model.authority != null && COMMITS.indexOf(next) < COMMITS.indexOf(model.authority);
        pushedAt[0] += 1 + random.nextInt(120);
        deliver(emulator, delivered, emulator.environment().variables().get("EVENT_BUS_NAME"),
                pushEvent(model.authority, next, pushedAt[0], forced));
        model.headPushedAt = pushedAt[0];
        model.authorityNames(next);
        return (forced ? "forced to " : "to ") + next.shortSha();
    }

    /** A "Git Push" of main on the bus, as GitHubWebhookFunction puts it there (the fixture's shape). */
    private static String pushEvent(Revision before, Revision after, long pushedAt, boolean forced) {
        try {
            com.fasterxml.jackson.databind.node.ObjectNode event = (com.fasterxml.jackson.databind.node.ObjectNode)
                    JSON.readTree(fixture("git-push-event.json"));
            ((com.fasterxml.jackson.databind.node.ObjectNode) event.path("detail"))
                    .put("before", before == null ? "0".repeat(40) : before.sha()).put("after", after.sha())
                    .put("pushedAt", pushedAt).put("forced", forced);
            event.put("id", java.util.UUID.randomUUID().toString());
            return event.toString();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Revision another(Revision than, Random random) {
        List<Revision> others = COMMITS.stream().filter(c -> !c.equals(than)).toList();
        return others.get(random.nextInt(others.size()));
    }


    private static void deliver(Emulator emulator, List<String> delivered, String bus, String event) {
        delivered.add(bus + "\n" + event);
        emulator.deliver(bus, event);
    }

    /** prod's stack in the same account: an instance beta must never command (it is not even a sandbox). */
    private static String prodInstance(CloudFormationClient cfn, int port) {
        String template = """
                {"Resources": {"ProdInstance": {"Type": "AWS::EC2::Instance", "Properties": {
                  "ImageId": "ami-0123456789abcdef0", "InstanceType": "t3.small", "PrivateIpAddress": "%s",
                  "Tags": [{"Key": "drift-remediator:app", "Value": "streamr-app-prod"}]}}}}
                """.formatted(Emulator.address(port, 200));
        cfn.createStack(r -> r.stackName("streamr-p2p-prod").templateBody(template));
        return cfn.describeStackResources(r -> r.stackName("streamr-p2p-prod")).stackResources().get(0).physicalResourceId();
    }

    /** The instance replaced by a new one that UserData boots at the old commit (same id, a fresh disk). */
    private static void reboot(Sandbox instance) {
        instance.reset();
        instance.provision(SampleEnvironment.BOOTED);
    }

    private static Step pick(Random random) {
        int r = random.nextInt(100);
        if (r < 18) return Step.STACK_UPDATE;
        if (r < 32) return Step.PUSH;
        if (r < 46) return Step.REDELIVER;
        if (r < 67) return Step.TICK;
        if (r < 70) return Step.RETRY;
        if (r < 79) return Step.REPLACE;
        if (r < 84) return Step.SCALE_OUT;
        if (r < 89) return Step.FETCH_FAILS;
        if (r < 94) return Step.CRASH;
        if (r < 97) return Step.CONCURRENT_TICKS;
        return Step.TWO_REVISIONS_AT_ONCE;
    }

    private void count(String what) {
        happened.merge(what, 1, Integer::sum);
    }

    private static String fixture(String name) {
        try {
            return Files.readString(Project.root().resolve("events").resolve(name));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What the app on the instance says it runs (its /version), or "unreachable". */
    private static String served(Sandbox instance) {
        Revision r = instance.served();
        return r == null ? "unreachable" : r.sha();
    }

}
