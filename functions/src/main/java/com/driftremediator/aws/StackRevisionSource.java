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
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * The desired revision when the event names none, first source that answers: the app stack's output,
 * its parameter, its tag (each under a configurable key), then an SSM parameter. A value that is not a
 * full 40-hex SHA does not answer. Also keeps a pushed revision in the SSM parameter, so later checks
 * (schedule, stack-complete) want the pushed code rather than an older value.
 */
public final class StackRevisionSource implements RevisionSource {
    private final CloudFormationClient cloudFormation;
    private final SsmClient ssm;
    private final Config config;

    /** Keys may be null: that source is not consulted. */
    public record Config(String stackName, String outputKey, String parameterKey, String tagKey, String ssmParameter) {
    }

    public StackRevisionSource(CloudFormationClient cloudFormation, SsmClient ssm, Config config) {
        this.cloudFormation = cloudFormation;
        this.ssm = ssm;
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
        if (config.ssmParameter() == null) return Optional.empty();
        try {
            String value = ssm.getParameter(r -> r.name(config.ssmParameter())).parameter().value();
            return Revision.parse(value).map(rev -> new DesiredRevision(rev, DesiredRevision.Origin.SSM_PARAMETER,
                    config.ssmParameter()));
        } catch (ParameterNotFoundException e) {
            return Optional.empty();
        }
    }

    /** The app stack's status (e.g. UPDATE_IN_PROGRESS), or null when the stack does not exist. */
    public String stackStatus() {
        Stack s = stack();
        return s == null ? null : s.stackStatusAsString();
    }

    /** Records a pushed revision as the desired one (the SSM parameter), so every later check wants it. */
    public void remember(Revision revision) {
        if (config.ssmParameter() == null) return;
        ssm.putParameter(r -> r.name(config.ssmParameter()).value(revision.sha()).type(ParameterType.STRING)
                .overwrite(true));
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
