package com.driftremediator.domain;

import java.util.Optional;

/** Port: the revision that should run when the event does not name one (stack output, SSM parameter, branch head). */
public interface RevisionSource {
    Optional<DesiredRevision> desired();
}
