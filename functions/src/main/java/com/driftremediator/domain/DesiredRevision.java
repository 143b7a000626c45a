package com.driftremediator.domain;

/** The revision that should run, and which source said so. */
public record DesiredRevision(Revision revision, Origin origin, String detail) {
    public enum Origin { EVENT, STACK_OUTPUT, STACK_PARAMETER, STACK_TAG, SSM_PARAMETER, BRANCH_HEAD }

    public String describe() {
        return origin.name().toLowerCase().replace('_', ' ') + (detail == null || detail.isBlank() ? "" : " " + detail);
    }
}
