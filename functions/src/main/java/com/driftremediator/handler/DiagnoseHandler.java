package com.driftremediator.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.driftremediator.aws.AwsClients;
import com.driftremediator.aws.Settings;
import com.driftremediator.aws.diagnose.AwsDiagnosticSource;
import com.driftremediator.domain.Diagnoser;
import com.driftremediator.domain.DiagnosisFormat;
import com.driftremediator.domain.Revision;
import com.driftremediator.domain.Target;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Map;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * DiagnoseFunction. Input {@code {"instanceId": "i-..."}} or {@code {"stack": "name"}} (optionally {@code "desired"}:
 * a commit SHA); output the diagnosis JSON (see {@link DiagnosisFormat#toJson}), or {@code {"diagnoses": [...]}} for a
 * stack, or {@code {"error": "..."}} for input it cannot use.
 */
public final class DiagnoseHandler implements RequestStreamHandler {
    static final String CLOUD_INIT_LOG = "/var/log/cloud-init-output.log";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Diagnoser diagnoser;

    public DiagnoseHandler() {
        this(System.getenv(), AwsClients.fromEnvironment());
    }

    private DiagnoseHandler(Map<String, String> env, AwsClients aws) {
        this(new Diagnoser(new AwsDiagnosticSource(aws.build(Ec2Client.builder()), aws.build(SsmClient.builder()),
                aws.build(CloudFormationClient.builder()), settings(env)), env.get("APP_STACK_NAME")));
    }

    public DiagnoseHandler(Diagnoser diagnoser) {
        this.diagnoser = diagnoser;
    }

    /** DIAGNOSE_DOCUMENT, APP_DIRECTORY, SERVICE_NAME are required; VERSION_URL is optional. */
    public static AwsDiagnosticSource.Settings settings(Map<String, String> environment) {
        Settings env = new Settings(environment);
        return new AwsDiagnosticSource.Settings(env.require("DIAGNOSE_DOCUMENT"), env.require("APP_DIRECTORY"),
                env.require("SERVICE_NAME"), CLOUD_INIT_LOG, env.get("VERSION_URL", null),
                Duration.ofSeconds(90), Duration.ofSeconds(2));
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode response = respond(input.readAllBytes(), context);
        output.write(JSON.writeValueAsBytes(response));
    }

    private JsonNode respond(byte[] input, Context context) {
        JsonNode event;
        try {
            event = JSON.readTree(input);
        } catch (IOException e) {
            return error(context, "the event is not JSON");
        }
        if (event == null || !event.isObject()) return error(context, "expected {\"instanceId\": \"i-...\"} or {\"stack\": \"name\"}");
        String instanceId = text(event, "instanceId");
        String stack = text(event, "stack");
        String desiredText = text(event, "desired");
        Revision desired = desiredText == null ? null : Revision.parse(desiredText).orElse(null);
        if (desiredText != null && desired == null) return error(context, "desired must be a 40-hex commit SHA");
        try {
            if (instanceId != null) {
                if (!Target.isInstanceId(instanceId)) {
                    return error(context, "not an EC2 instance id (i-0123456789abcdef0): " + printable(instanceId));
                }
                return DiagnosisFormat.toJson(diagnoser.diagnose(new Target(instanceId), stack, desired));
            }
            if (stack != null) {
                ObjectNode n = JSON.createObjectNode().put("stack", stack);
                var list = n.putArray("diagnoses");
                diagnoser.diagnoseStack(stack, desired).forEach(d -> list.add(DiagnosisFormat.toJson(d)));
                return n;
            }
            return error(context, "expected {\"instanceId\": \"i-...\"} or {\"stack\": \"name\"}");
        } catch (SdkException e) {
            return error(context, "AWS call failed: " + e.getMessage());
        }
    }

    private static ObjectNode error(Context context, String message) {
        log(context, "diagnose: " + message);
        return JSON.createObjectNode().put("error", message);
    }

    private static void log(Context context, String line) {
        if (context != null && context.getLogger() != null) context.getLogger().log(line + "\n");
        else System.err.println(line);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || !v.isTextual() || v.asText().isBlank() ? null : v.asText().strip();
    }

    private static String printable(String value) {
        String cut = value.length() > 60 ? value.substring(0, 60) + "..." : value;
        return '"' + cut.replaceAll("\\p{Cntrl}", "?") + '"';
    }
}
