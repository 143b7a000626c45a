package com.driftremediator.domain;

import java.time.Instant;
import java.util.Optional;

/**
 * The branch head as branch mode records it: the revision, the push that moved it there, and a sequence that
 * every write increments (the conditional write's guard).
 */
public record BranchHead(Revision revision, Revision before, Instant pushedAt, long sequence, boolean forced) {

    public enum Move { MOVED, DUPLICATE, STALE }

    public record Advance(Move move, BranchHead next, String reason) {
    }

    /**
     * The rule: a push moves the head only forward. Order is GitHub's {@code pushed_at}; within one second (its
     * resolution), or when the event has no time, only a push whose {@code before} is the current head moves it (the
     * before/after chain). A push with a later time moves the head whatever its before (deliveries in between may be
     * lost), and a forced one is followed as a deliberate rollback. A late or repeated delivery changes nothing.
     */
    public static Advance advance(Optional<BranchHead> current, Push push) {
        if (current.isEmpty()) {
            return new Advance(Move.MOVED, new BranchHead(push.after(), push.before(), push.pushedAt(), 1, push.forced()),
                    "branch head recorded at " + push.after().shortSha());
        }
        BranchHead head = current.get();
        if (head.revision().equals(push.after())) {
            return new Advance(Move.DUPLICATE, head, "branch head already at " + push.after().shortSha());
        }
        boolean chained = head.revision().equals(push.before());
        boolean later;
        if (push.pushedAt() == null || head.pushedAt() == null) {
            later = false;
        } else {
            later = push.pushedAt().isAfter(head.pushedAt());
            if (push.pushedAt().isBefore(head.pushedAt())) {
                return new Advance(Move.STALE, head, "push of " + push.after().shortSha() + " at " + push.pushedAt()
                        + " is older than the head " + head.revision().shortSha() + " pushed at " + head.pushedAt()
                        + ": a late delivery, ignored");
            }
        }
        if (!later && !chained) {
            return new Advance(Move.STALE, head, "push of " + push.after().shortSha() + " does not follow the head "
                    + head.revision().shortSha() + " (its before is " + (push.before() == null ? "none" : push.before().shortSha())
                    + ") and is not later: ignored");
        }
        Instant at = push.pushedAt() != null ? push.pushedAt() : head.pushedAt();
        BranchHead next = new BranchHead(push.after(), push.before(), at, head.sequence() + 1, push.forced());
        return new Advance(Move.MOVED, next, (push.forced() ? "forced push: followed as a deliberate rollback, " : "")
                + "branch head moved " + head.revision().shortSha() + " -> " + push.after().shortSha());
    }
}
