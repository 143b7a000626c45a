package com.driftremediator.domain;

/**
 * Why a drift check runs. {@code revision} is what the event named, for the record only: the desired revision is
 * always the authority's. {@code push} is set for git pushes (branch mode moves its head with it); for
 * {@link Kind#RETRY} the revision is the one the operator retries (null: the authority's).
 */
public record Trigger(Kind kind, Revision revision, String detail, Push push) {
    public enum Kind { STACK_COMPLETE, GIT_PUSH, SCHEDULE, MANUAL, RETRY }

    public Trigger(Kind kind, Revision revision, String detail) {
        this(kind, revision, detail, null);
    }
}
