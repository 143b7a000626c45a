package com.driftremediator.domain;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** In-memory ports for the domain's tests (the ledger is local/InMemoryLedger). */
final class Fakes {
    private Fakes() {
    }

    /** A clock the test moves. */
    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** Targets in insertion order; what each runs; the deadlines it was given. */
    static final class FakeFleet implements Fleet {
        final Map<Target, Observation> observations = new LinkedHashMap<>();
        final List<Instant> deadlines = new ArrayList<>();
        int observeCalls;

        public List<Target> targets() {
            return new ArrayList<>(observations.keySet());
        }

        public List<Observation> observeAll(List<Target> targets, Instant deadline) {
            observeCalls++;
            deadlines.add(deadline);
            return targets.stream().map(observations::get).toList();
        }
    }

    /** Records every send; results by "commandId/instance"; comments kept as SSM keeps them. */
    static final class FakeRunner implements CommandRunner {
        final List<List<Target>> sent = new CopyOnWriteArrayList<>();
        final List<Revision> revisions = new CopyOnWriteArrayList<>();
        final Map<String, AttemptComment> comments = new HashMap<>();
        final Map<String, List<String>> batches = new HashMap<>();
        final Map<String, CommandResult> results = new HashMap<>();
        int failAtSend = -1;

        public String sendRedeploy(Attempt attempt, List<Target> batch) {
            if (batch.size() > MAX_BATCH) throw new IllegalArgumentException("more than 50 ids");
            if (failAtSend == sent.size()) {
                failAtSend = -1;
                throw new IllegalStateException("Rate exceeded");
            }
            sent.add(List.copyOf(batch));
            revisions.add(attempt.revision());
            String id = "cmd-" + sent.size();
            comments.put(id, AttemptComment.of(attempt));
            batches.put(id, batch.stream().map(Target::instanceId).toList());
            return id;
        }

        public Optional<CommandResult> result(String commandId, Target target) {
            CommandResult r = results.get(commandId + "/" + target.instanceId());
            if (r == null || !comments.containsKey(commandId)) return Optional.ofNullable(r);
            return Optional.of(new CommandResult(r.revision(), Optional.of(comments.get(commandId)), batches.get(commandId),
                    r.status(), r.statusDetails(), r.stdout(), r.stderr()));
        }

        public List<SentCommand> sentFor(Attempt attempt) {
            List<SentCommand> out = new ArrayList<>();
            comments.forEach((id, c) -> {
                if (c.equals(AttemptComment.of(attempt))) out.add(new SentCommand(id, batches.get(id)));
            });
            return out;
        }

        /** What RedeployDocument printed on the instance for that command. */
        void printed(String commandId, Target t, String result, int exitCode, Revision serving, String message) {
            results.put(commandId + "/" + t.instanceId(), new CommandResult(null, Optional.empty(), List.of(),
                    exitCode == 0 ? "Success" : "Failed", null, "{\"result\":\"" + result + "\",\"serving\":\""
                    + serving.sha() + "\",\"message\":\"" + message + "\",\"exitCode\":" + exitCode + "}\nlog...", ""));
        }

        void status(String commandId, Target t, String status, String details) {
            results.put(commandId + "/" + t.instanceId(), new CommandResult(null, Optional.empty(), List.of(), status, details,
                    "", ""));
        }
    }

    /** Branch heads in memory, with the same conditional write. */
    static final class Heads implements BranchHeads {
        final Map<String, BranchHead> heads = new HashMap<>();
        int conflictsToInject;

        public Optional<BranchHead> read(String environment) {
            return Optional.ofNullable(heads.get(environment));
        }

        public synchronized boolean write(String environment, BranchHead next, long expectedSequence) {
            if (conflictsToInject > 0) {
                conflictsToInject--;
                return false;
            }
            long current = heads.containsKey(environment) ? heads.get(environment).sequence() : 0;
            if (current != expectedSequence) return false;
            heads.put(environment, next);
            return true;
        }
    }
}
