package com.driftremediator.domain;

import java.util.Optional;

/** Port: where branch mode keeps the head of the followed branch, written only conditionally. */
public interface BranchHeads {
    Optional<BranchHead> read(String environment);

    /**
     * Writes {@code next} when the stored head still has sequence {@code expectedSequence} (0: none stored yet);
     * false when another writer got there first.
     */
    boolean write(String environment, BranchHead next, long expectedSequence);
}
