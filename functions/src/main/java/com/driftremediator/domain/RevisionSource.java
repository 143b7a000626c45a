package com.driftremediator.domain;

import java.util.Optional;

/** Port: the environment's one desired-state authority (the app stack, an SSM parameter, or the branch head). */
public interface RevisionSource {
    Optional<DesiredRevision> desired();

    /**
     * A push reached the check. Only branch mode moves on it; the other authorities ignore it (the push only wakes
     * the check). Returns what happened, in words.
     */
    default String offer(Push push) {
        return "push of " + push.after().shortSha() + " wakes the check; the authority is not the branch";
    }
}
