package com.driftremediator.github;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;

/**
 * The webhook secret, read once per container and re-read when a signature does not match (the secret may have
 * been rotated). Re-reads are spaced by {@code minReload} so a flood of forged requests cannot turn into a flood
 * of Secrets Manager calls.
 */
final class CachedSecret {
    private final SecretSource source;
    private final Clock clock;
    private final Duration minReload;
    private byte[] value;
    private Instant readAt;

    CachedSecret(SecretSource source, Clock clock, Duration minReload) {
        this.source = source;
        this.clock = clock;
        this.minReload = minReload;
    }

    synchronized byte[] current() {
        if (value == null) load();
        return value;
    }

    /** The secret read again, when it changed since the last read and the last read is old enough. */
    synchronized Optional<byte[]> reloaded() {
        if (value != null && clock.instant().isBefore(readAt.plus(minReload))) return Optional.empty();
        byte[] before = value;
        load();
        return Arrays.equals(before, value) ? Optional.empty() : Optional.of(value);
    }

    private void load() {
        String secret = source.read();
        if (secret == null || secret.isEmpty()) throw new IllegalStateException("the webhook secret is empty");
        value = secret.getBytes(StandardCharsets.UTF_8);
        readAt = clock.instant();
    }
}
