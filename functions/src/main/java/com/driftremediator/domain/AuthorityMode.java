package com.driftremediator.domain;

import java.util.Locale;

/**
 * Where an environment's desired revision comes from: exactly one authority, read at check time. Events only
 * wake a check; none of them names the revision in place of the authority.
 */
public enum AuthorityMode {
    /** The app stack's output, parameter or tag, as the pipeline writes it when its tests have passed. */
    STACK,
    /** An SSM parameter the pipeline writes. */
    PARAMETER,
    /** GitOps: the head of the followed branch, moved only forward by pushes (a forced push is a rollback). */
    BRANCH;

    /** The mode named by {@code RevisionAuthority} (stack, parameter, branch); a clear error for anything else. */
    public static AuthorityMode parse(String text) {
        if (text == null || text.isBlank()) return STACK;
        for (AuthorityMode m : values()) {
            if (m.name().equalsIgnoreCase(text.strip())) return m;
        }
        throw new IllegalArgumentException("revision authority must be stack, parameter or branch, not "
                + Revision.printable(text));
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
