package com.driftremediator.slack;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** {@link SlackState} in memory, with the same rules as the DynamoDB one. */
public final class InMemorySlackState implements SlackState {
    private record Claim(boolean sent, Instant leaseUntil) {
    }

    private final Map<String, Claim> messages = new HashMap<>();
    private final Map<String, String> threads = new HashMap<>();

    @Override
    public synchronized boolean claim(String messageId, Instant now, Instant leaseUntil) {
        Claim c = messages.get(messageId);
        if (c != null && (c.sent() || !c.leaseUntil().isBefore(now))) return false;
        messages.put(messageId, new Claim(false, leaseUntil));
        return true;
    }

    @Override
    public synchronized void delivered(String messageId, Instant now) {
        messages.put(messageId, new Claim(true, null));
    }

    @Override
    public synchronized void release(String messageId) {
        Claim c = messages.get(messageId);
        if (c != null && !c.sent()) messages.remove(messageId);
    }

    @Override
    public synchronized Optional<String> thread(String commandId) {
        return Optional.ofNullable(threads.get(commandId));
    }

    @Override
    public synchronized void rememberThread(String commandId, String ts, Instant now) {
        threads.put(commandId, ts);
    }

    public synchronized boolean claimed(String messageId) {
        return messages.containsKey(messageId);
    }
}
