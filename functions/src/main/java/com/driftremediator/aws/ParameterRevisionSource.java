package com.driftremediator.aws;

import com.driftremediator.domain.DesiredRevision;
import com.driftremediator.domain.Revision;
import com.driftremediator.domain.RevisionSource;

import java.util.Optional;

import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;

/** Parameter mode's authority: an SSM parameter the pipeline writes (drift-remediator only reads it). */
public final class ParameterRevisionSource implements RevisionSource {
    private final SsmClient ssm;
    private final String name;

    public ParameterRevisionSource(SsmClient ssm, String name) {
        this.ssm = ssm;
        this.name = name;
    }

    @Override
    public Optional<DesiredRevision> desired() {
        try {
            String value = ssm.getParameter(r -> r.name(name)).parameter().value();
            return Revision.parse(value).map(rev -> new DesiredRevision(rev, DesiredRevision.Origin.SSM_PARAMETER, name));
        } catch (ParameterNotFoundException e) {
            return Optional.empty();
        }
    }
}
