package com.driftremediator.domain;

import java.time.Instant;

/**
 * A push to the followed branch, as the event carried it.
 *
 * @param before   the head before the push; null for a branch creation (the zero SHA)
 * @param after    the head after the push
 * @param pushedAt when the push happened (GitHub's {@code repository.pushed_at}, the CodeCommit event's time);
 *                 null when the event did not say
 * @param forced   a force push: the branch may have moved to a commit that is not a descendant (a rollback)
 */
public record Push(Revision before, Revision after, Instant pushedAt, boolean forced, String detail) {
    public Push {
        if (after == null) throw new IllegalArgumentException("a push names the commit it moved the branch to");
    }
}
