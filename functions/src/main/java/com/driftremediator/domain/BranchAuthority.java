package com.driftremediator.domain;

import java.util.Optional;

/** Branch mode: the desired revision is the recorded branch head, which pushes move forward ({@link BranchHead#advance}). */
public final class BranchAuthority implements RevisionSource {
    private static final int WRITE_ATTEMPTS = 5;

    private final String environment;
    private final String branch;
    private final BranchHeads heads;

    public BranchAuthority(String environment, String branch, BranchHeads heads) {
        this.environment = environment;
        this.branch = branch;
        this.heads = heads;
    }

    @Override
    public Optional<DesiredRevision> desired() {
        return heads.read(environment).map(h -> new DesiredRevision(h.revision(), DesiredRevision.Origin.BRANCH_HEAD,
                branch + (h.pushedAt() == null ? "" : " pushed " + h.pushedAt())));
    }

    @Override
    public String offer(Push push) {
        for (int i = 0; i < WRITE_ATTEMPTS; i++) {
            Optional<BranchHead> current = heads.read(environment);
            BranchHead.Advance a = BranchHead.advance(current, push);
            if (a.move() != BranchHead.Move.MOVED) return a.reason();
            if (heads.write(environment, a.next(), current.map(BranchHead::sequence).orElse(0L))) return a.reason();
        }
        return "branch head changed under " + WRITE_ATTEMPTS + " concurrent writes; the push is read again at the next check";
    }
}
