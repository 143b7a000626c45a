package com.driftremediator.slack;

import java.time.Instant;
import java.util.Optional;

/** What the notifier remembers between invocations: which SNS messages were posted, and each command's thread. */
public interface SlackState {
    /**
     * Claims an SNS message for posting until {@code leaseUntil}; false when it was already posted, or another
     * invocation holds a claim that has not expired (a duplicate delivery).
     */
    boolean claim(String messageId, Instant now, Instant leaseUntil);

    void delivered(String messageId, Instant now);

    /** Gives a claim back after a failed post, so that Lambda's retry (or a DLQ redrive) posts it. */
    void release(String messageId);

    /** The ts of the "started" message of a command, to thread its result under it. */
    Optional<String> thread(String commandId);

    void rememberThread(String commandId, String ts, Instant now);
}
