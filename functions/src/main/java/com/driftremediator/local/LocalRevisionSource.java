package com.driftremediator.local;

import com.driftremediator.domain.DesiredRevision;
import com.driftremediator.domain.RevisionSource;

import java.util.Optional;

/** The desired revision in the sandbox: the head of main in the sample app's repository. */
public final class LocalRevisionSource implements RevisionSource {
    private final SampleRepository repository;

    public LocalRevisionSource(SampleRepository repository) {
        this.repository = repository;
    }

    @Override
    public Optional<DesiredRevision> desired() {
        return Optional.of(new DesiredRevision(repository.head(), DesiredRevision.Origin.BRANCH_HEAD,
                SampleRepository.BRANCH + " of " + repository.url()));
    }
}
