package com.driftremediator.aws;

import com.driftremediator.domain.DesiredRevision;
import com.driftremediator.domain.Push;
import com.driftremediator.domain.Revision;
import com.driftremediator.testing.MotoServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterType;

import static org.assertj.core.api.Assertions.assertThat;

/** The desired revision's sources, in order, against the moto server. */
class StackRevisionSourceIT {
    private static final MotoServer MOTO = MotoServer.start();
    private static final String OUT = "1111111111111111111111111111111111111111";
    private static final String PARAM = "2222222222222222222222222222222222222222";
    private static final String TAG = "3333333333333333333333333333333333333333";
    private static final String SSM = "4444444444444444444444444444444444444444";

    private final CloudFormationClient cfn = MOTO.client(CloudFormationClient.builder());
    private final SsmClient ssm = MOTO.client(SsmClient.builder());
    private final StackRevisionSource source = new StackRevisionSource(cfn,
            new StackRevisionSource.Config("app", "Revision", "AppRevision", "app:revision"));
    private final ParameterRevisionSource parameter = new ParameterRevisionSource(ssm, "/app/desired-revision");

    @AfterAll
    static void stop() {
        MOTO.close();
    }

    @BeforeEach
    void reset() {
        MOTO.reset();
        ssm.putParameter(r -> r.name("/app/desired-revision").value(SSM).type(ParameterType.STRING));
    }

    @Test
    void stackOutputFirst() {
        stack(OUT, PARAM, TAG);
        assertThat(source.desired()).contains(new DesiredRevision(Revision.of(OUT), DesiredRevision.Origin.STACK_OUTPUT,
                "Revision of app"));
    }

    @Test
    void thenTheStackParameterThenItsTag() {
        stack(null, PARAM, TAG);
        assertThat(source.desired().orElseThrow().origin()).isEqualTo(DesiredRevision.Origin.STACK_PARAMETER);
        MOTO.reset();
        stack(null, null, TAG);
        assertThat(source.desired().orElseThrow().revision()).isEqualTo(Revision.of(TAG));
    }

    @Test
    void stackModeNeverFallsBackToTheParameterAndNeverWritesIt() {
        assertThat(source.desired()).as("no stack").isEmpty();
        assertThat(source.stackStatus()).isNull();
        stack("not-a-sha", null, null);
        assertThat(source.desired()).as("a value that is not a SHA does not answer").isEmpty();
        assertThat(source.stackStatus()).isEqualTo("CREATE_COMPLETE");
        assertThat(source.offer(new Push(Revision.of(PARAM), Revision.of(OUT), null, false, "push"))).contains("wakes");
        assertThat(ssm.getParameter(r -> r.name("/app/desired-revision")).parameter().value()).isEqualTo(SSM);
    }

    @Test
    void parameterModeReadsTheSsmParameterOnly() {
        stack(OUT, PARAM, TAG);
        assertThat(parameter.desired()).contains(new DesiredRevision(Revision.of(SSM), DesiredRevision.Origin.SSM_PARAMETER,
                "/app/desired-revision"));
        ssm.deleteParameter(r -> r.name("/app/desired-revision"));
        assertThat(parameter.desired()).isEmpty();
    }

    private void stack(String output, String parameter, String tag) {
        StringBuilder t = new StringBuilder("{\"Resources\":{\"Q\":{\"Type\":\"AWS::SQS::Queue\"}}");
        if (parameter != null) t.append(",\"Parameters\":{\"AppRevision\":{\"Type\":\"String\"}}");
        if (output != null) t.append(",\"Outputs\":{\"Revision\":{\"Value\":\"").append(output).append("\"}}");
        t.append('}');
        cfn.createStack(r -> {
            r.stackName("app").templateBody(t.toString());
            if (parameter != null) r.parameters(p -> p.parameterKey("AppRevision").parameterValue(parameter));
            if (tag != null) r.tags(x -> x.key("app:revision").value(tag));
        });
    }
}
