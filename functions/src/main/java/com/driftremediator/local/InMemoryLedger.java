package com.driftremediator.local;

import com.driftremediator.domain.Attempt;
import com.driftremediator.domain.AttemptState;
import com.driftremediator.domain.EnvironmentLock;
import com.driftremediator.domain.InstanceResult;
import com.driftremediator.domain.Ledger;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The ledger for the local sandbox and for unit tests: the same conditional semantics as DynamoDB (the claim and
 * the environment lock in one step, the lock's expiry), in memory.
 */
public final class InMemoryLedger implements Ledger {
    private final Map<String, Attempt> attempts = new HashMap<>();
    private final Map<String, EnvironmentLock> locks = new HashMap<>();

    private static String key(String environment, String attemptId) {
        return environment + "#" + attemptId;
    }

    @Override
    public synchronized Optional<Attempt> find(String environment, String attemptId) {
        return Optional.ofNullable(attempts.get(key(environment, attemptId)));
    }

    @Override
    public synchronized List<Attempt> attempts(String environment) {
        return attempts.values().stream().filter(a -> a.environment().equals(environment))
                .sorted(Comparator.comparing(Attempt::createdAt).thenComparing(Attempt::number).reversed()).toList();
    }

    @Override
    public synchronized Optional<EnvironmentLock> lock(String environment) {
        return Optional.ofNullable(locks.get(environment));
    }

    @Override
    public synchronized Claim claim(Attempt pending, Instant lockExpiresAt, Instant now) {
        String k = key(pending.environment(), pending.id());
        if (attempts.containsKey(k)) return Claim.DUPLICATE;
        EnvironmentLock held = locks.get(pending.environment());
        if (held != null && held.heldAt(now)) return Claim.LOCK_BUSY;
        attempts.put(k, pending);
        locks.put(pending.environment(), new EnvironmentLock(pending.environment(), pending.id(), pending.revision(),
                lockExpiresAt));
        return Claim.CLAIMED;
    }

    @Override
    public synchronized boolean transition(Attempt to, AttemptState from) {
        String k = key(to.environment(), to.id());
        Attempt current = attempts.get(k);
        if (current == null || current.state() != from) return false;
        attempts.put(k, new Attempt(to.environment(), to.revision(), to.number(), to.state(), to.commands(), to.instances(),
                to.previous(), to.reason(), to.createdAt(), to.updatedAt(), current.results(), current.retryRequestedAt()));
        return true;
    }

    @Override
    public synchronized void extendLock(String environment, String attemptId, Instant expiresAt) {
        EnvironmentLock l = locks.get(environment);
        if (l != null && l.attemptId().equals(attemptId)) {
            locks.put(environment, new EnvironmentLock(environment, attemptId, l.revision(), expiresAt));
        }
    }

    @Override
    public synchronized void releaseLock(String environment, String attemptId) {
        EnvironmentLock l = locks.get(environment);
        if (l != null && l.attemptId().equals(attemptId)) locks.remove(environment);
    }

    @Override
    public synchronized void release(Attempt pending) {
        String k = key(pending.environment(), pending.id());
        Attempt a = attempts.get(k);
        if (a != null && a.state() == AttemptState.PENDING) attempts.remove(k);
        releaseLock(pending.environment(), pending.id());
    }

    @Override
    public synchronized Optional<Attempt> recordResult(String environment, String attemptId, String instanceId,
                                                       InstanceResult result) {
        String k = key(environment, attemptId);
        Attempt a = attempts.get(k);
        if (a == null || a.results().containsKey(instanceId)) return Optional.empty();
        Attempt updated = a.withResult(instanceId, result);
        attempts.put(k, updated);
        return Optional.of(updated);
    }

    @Override
    public synchronized boolean requestRetry(String environment, String attemptId, Instant at) {
        String k = key(environment, attemptId);
        Attempt a = attempts.get(k);
        if (a == null || a.state().inFlight()) return false;
        attempts.put(k, new Attempt(a.environment(), a.revision(), a.number(), a.state(), a.commands(), a.instances(),
                a.previous(), a.reason(), a.createdAt(), a.updatedAt(), a.results(), at));
        return true;
    }
}
