package com.driftremediator.aws;

import com.driftremediator.domain.DesiredRevision;
import com.driftremediator.domain.Revision;
import com.driftremediator.domain.RevisionSource;

import java.util.Optional;
import java.util.stream.Stream;

import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Output;
import software.amazon.awssdk.services.cloudformation.model.Parameter;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.Tag;

/**
 * Stack mode's authority: the app stack's output, else its parameter, else its tag (each under a configurable key),
 * as the pipeline writes them once its tests have passed. A value that is not a full 40-hex SHA does not answer.
 * Nothing here writes: a push only wakes the check.
 */
public final class StackRevisionSource implements RevisionSource {
    private final CloudFormationClient cloudFormation;
    private final Config config;

    /** Keys may be null: that source is not consulted. */
    public record Config(String stackName, String outputKey, String parameterKey, String tagKey) {
    }

    public StackRevisionSource(CloudFormationClient cloudFormation, Config config) {
        this.cloudFormation = cloudFormation;
        this.config = config;
    }

    @Override
    public Optional<DesiredRevision> desired() {
        Stack stack = stack();
        if (stack != null) {
            Optional<DesiredRevision> r = first(DesiredRevision.Origin.STACK_OUTPUT, config.outputKey(),
                    stack.outputs().stream().filter(o -> o.outputKey().equals(config.outputKey())).map(Output::outputValue))
                    .or(() -> first(DesiredRevision.Origin.STACK_PARAMETER, config.parameterKey(),
                            stack.parameters().stream().filter(p -> p.parameterKey().equals(config.parameterKey()))
                                    .map(Parameter::parameterValue)))
                    .or(() -> first(DesiredRevision.Origin.STACK_TAG, config.tagKey(),
                            stack.tags().stream().filter(t -> t.key().equals(config.tagKey())).map(Tag::value)));
            if (r.isPresent()) return r;
        }
        return Optional.empty();
    }

    /** The app stack's status (e.g. UPDATE_IN_PROGRESS), or null when the stack does not exist. */
    public String stackStatus() {
        Stack s = stack();
        return s == null ? null : s.stackStatusAsString();
    }

    private Stack stack() {
        try {
            return cloudFormation.describeStacks(r -> r.stackName(config.stackName())).stacks().stream()
                    .findFirst().orElse(null);
        } catch (software.amazon.awssdk.services.cloudformation.model.CloudFormationException e) {
            // DescribeStacks answers a 400 ValidationError "Stack with id X does not exist"
            if (e.statusCode() == 400 && String.valueOf(e.getMessage()).contains("does not exist")) return null;
            throw e;
        }
    }

    private Optional<DesiredRevision> first(DesiredRevision.Origin origin, String key, Stream<String> values) {
        return values.findFirst().flatMap(Revision::parse)
                .map(r -> new DesiredRevision(r, origin, key + " of " + config.stackName()));
    }
}
