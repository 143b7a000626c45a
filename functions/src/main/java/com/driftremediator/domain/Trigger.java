package com.driftremediator.domain;

/** Why a drift check runs, and the revision the event named (null when it named none). */
public record Trigger(Kind kind, Revision revision, String detail) {
    public enum Kind { STACK_COMPLETE, GIT_PUSH, SCHEDULE, MANUAL }
}
