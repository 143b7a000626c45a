package com.driftremediator.github;

/** Port: reads the webhook secret from where it is kept (one call, no caching). */
public interface SecretSource {
    String read();
}
