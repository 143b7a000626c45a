package com.driftremediator.local;

import com.driftremediator.domain.Attempt;
import com.driftremediator.domain.AttemptState;
import com.driftremediator.domain.Ledger;
import com.driftremediator.domain.Outcome;
import com.driftremediator.domain.Revision;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The ledger for the local sandbox and for unit tests: the same conditional semantics as DynamoDB, in memory. */
public final class InMemoryLedger implements Ledger {
    private final Map<String, Attempt> attempts = new ConcurrentHashMap<>();

    private static String key(String environment, Revision revision) {
        return environment + "#" + revision.sha();
    }

    @Override
    public Optional<Attempt> find(String environment, Revision revision) {
        return Optional.ofNullable(attempts.get(key(environment, revision)));
    }

    @Override
    public boolean claim(Attempt pending) {
        return attempts.putIfAbsent(key(pending.environment(), pending.revision()), pending) == null;
    }

    @Override
    public synchronized boolean transition(Attempt to, AttemptState from) {
        String k = key(to.environment(), to.revision());
        Attempt current = attempts.get(k);
        if (current == null || current.state() != from) return false;
        attempts.put(k, new Attempt(to.environment(), to.revision(), to.state(), to.commandId(), to.instances(),
                to.previous(), to.reason(), to.createdAt(), to.updatedAt(), current.results()));
        return true;
    }

    @Override
    public synchronized void release(Attempt pending) {
        attempts.computeIfPresent(key(pending.environment(), pending.revision()),
                (k, a) -> a.state() == AttemptState.PENDING ? null : a);
    }

    @Override
    public synchronized Optional<Attempt> recordResult(String environment, Revision revision, String instanceId,
                                                       Outcome outcome) {
        String k = key(environment, revision);
        Attempt a = attempts.get(k);
        if (a == null || a.results().containsKey(instanceId)) return Optional.empty();
        Map<String, Outcome> results = new HashMap<>(a.results());
        results.put(instanceId, outcome);
        Attempt updated = new Attempt(a.environment(), a.revision(), a.state(), a.commandId(), a.instances(),
                a.previous(), a.reason(), a.createdAt(), a.updatedAt(), results);
        attempts.put(k, updated);
        return Optional.of(updated);
    }

    @Override
    public List<Attempt> attempts(String environment) {
        return attempts.values().stream().filter(a -> a.environment().equals(environment))
                .sorted(Comparator.comparing(Attempt::createdAt).reversed()).toList();
    }
}
