package com.driftremediator.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One remediation attempt as the ledger keeps it, keyed (environment, revision, number): a revision may get
 * several attempts (a transient failure retried, an instance replaced after a success, an operator retry).
 *
 * @param commands         SendCommand id to the instance ids of its batch (at most 50), as sent
 * @param instances        the instances the attempt was claimed for
 * @param retryRequestedAt when an operator asked for this revision to be tried again ({@code bin/remediator retry})
 */
public record Attempt(String environment, Revision revision, int number, AttemptState state,
                      Map<String, List<String>> commands, List<String> instances, Revision previous, String reason,
                      Instant createdAt, Instant updatedAt, Map<String, InstanceResult> results,
                      Instant retryRequestedAt) {
    public Attempt {
        if (number < 1) throw new IllegalArgumentException("attempt numbers start at 1");
        commands = commands == null ? Map.of() : copy(commands);
        instances = instances == null ? List.of() : List.copyOf(instances);
        results = results == null ? Map.of() : Map.copyOf(results);
    }

    public static Attempt pending(String environment, Revision revision, int number, List<String> instances,
                                  Revision previous, String reason, Instant now) {
        return new Attempt(environment, revision, number, AttemptState.PENDING, Map.of(), instances, previous, reason,
                now, now, Map.of(), null);
    }

    /** The attempt id: {@code <sha>#<number>}. */
    public String id() {
        return id(revision, number);
    }

    public static String id(Revision revision, int number) {
        return revision.sha() + "#" + number;
    }

    /** The first command's id (the one people see), or null when none was sent. */
    public String commandId() {
        return commands.isEmpty() ? null : commands.keySet().iterator().next();
    }

    /** The instances some command of this attempt was sent to. */
    public Set<String> sentInstances() {
        Set<String> sent = new LinkedHashSet<>();
        commands.values().forEach(sent::addAll);
        return sent;
    }

    /** The command of this attempt that was sent to the instance. */
    public Optional<String> commandFor(String instanceId) {
        return commands.entrySet().stream().filter(e -> e.getValue().contains(instanceId)).map(Map.Entry::getKey).findFirst();
    }

    /** Every instance a command was sent to has reported. */
    public boolean complete() {
        return !commands.isEmpty() && results.keySet().containsAll(sentInstances());
    }

    /** The worst result (instance id and result): what the report names. */
    public Optional<Map.Entry<String, InstanceResult>> worst() {
        return results.entrySet().stream().max(Comparator.<Map.Entry<String, InstanceResult>>comparingInt(e -> e.getValue().severity())
                .thenComparing(Map.Entry::getKey, Comparator.reverseOrder()));
    }

    /** The attempt's final state: that of its worst result. */
    public AttemptState finalState() {
        return worst().map(e -> e.getValue().attemptState()).orElse(AttemptState.SUCCEEDED);
    }

    public Attempt moveTo(AttemptState next, String why, Instant at) {
        if (!state.canMoveTo(next)) {
            throw new IllegalStateException(state + " cannot move to " + next);
        }
        return new Attempt(environment, revision, number, next, commands, instances, previous, why, createdAt, at, results,
                retryRequestedAt);
    }

    /** With one more command (a batch sent, or one found again by its comment). */
    public Attempt withCommand(String commandId, List<String> batch, Instant at) {
        Map<String, List<String>> more = new LinkedHashMap<>(commands);
        more.put(commandId, batch);
        return new Attempt(environment, revision, number, state, more, instances, previous, reason, createdAt, at, results,
                retryRequestedAt);
    }

    public Attempt withResult(String instanceId, InstanceResult result) {
        Map<String, InstanceResult> more = new LinkedHashMap<>(results);
        more.put(instanceId, result);
        return new Attempt(environment, revision, number, state, commands, instances, previous, reason, createdAt, updatedAt,
                more, retryRequestedAt);
    }

    private static Map<String, List<String>> copy(Map<String, List<String>> commands) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        commands.forEach((k, v) -> out.put(k, List.copyOf(v)));
        return java.util.Collections.unmodifiableMap(out);
    }

    /** Attempt numbers already used for a revision, in the environment's attempts. */
    static int nextNumber(Revision revision, List<Attempt> attempts) {
        int max = 0;
        for (Attempt a : attempts) if (a.revision().equals(revision)) max = Math.max(max, a.number());
        return max + 1;
    }

    static List<Attempt> of(Revision revision, List<Attempt> attempts) {
        List<Attempt> out = new ArrayList<>();
        for (Attempt a : attempts) if (a.revision().equals(revision)) out.add(a);
        out.sort(Comparator.comparingInt(Attempt::number).reversed());
        return out;
    }
}
