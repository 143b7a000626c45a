package com.driftremediator.github;

/** Port: puts a "Git Push" event on the remediation bus; throws when the bus did not take it. */
public interface EventPublisher {
    void publish(GitPush push);
}
