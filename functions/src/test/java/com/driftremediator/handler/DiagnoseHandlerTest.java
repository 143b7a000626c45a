package com.driftremediator.handler;

import com.driftremediator.domain.DesiredRevision;
import com.driftremediator.domain.Diagnoser;
import com.driftremediator.domain.DiagnosticSource;
import com.driftremediator.domain.InstanceFacts;
import com.driftremediator.domain.Target;
import com.driftremediator.testing.ProjectPaths;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DiagnoseHandlerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Target STOPPED = new Target("i-0123456789abcdef0");

    /** A stopped instance in a one-instance stack; records every call so tests can say none happened. */
    static final class StoppedFleet implements DiagnosticSource {
        final List<String> calls = new ArrayList<>();

        @Override
        public InstanceFacts instance(Target target) {
            calls.add("instance " + target);
            return new InstanceFacts(target, "stopped", Instant.parse("2026-11-20T09:11:30Z"), null, Map.of(), null,
                    InstanceFacts.Ssm.NOT_MANAGED);
        }

        @Override
        public List<Target> instancesOf(String stack) {
            calls.add("instancesOf " + stack);
            return List.of(STOPPED);
        }

        @Override
        public Optional<Instant> stackUpdatedAt(String stack) {
            return Optional.empty();
        }

        @Override
        public Optional<DesiredRevision> desired(String stack) {
            return Optional.empty();
        }

        @Override
        public HostRun runOnHost(Target target) {
            throw new AssertionError("a stopped instance is not asked anything");
        }
    }

    private final StoppedFleet fleet = new StoppedFleet();
    private final DiagnoseHandler handler = new DiagnoseHandler(new Diagnoser(fleet, null));

    private JsonNode invoke(String event) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event.getBytes()), out, null);
        return JSON.readTree(out.toByteArray());
    }

    @Test
    void diagnosesOneInstanceFromTheSampleEvent() throws Exception {
        JsonNode r = invoke(Files.readString(ProjectPaths.root().resolve("events/diagnose-instance.json")));

        assertThat(r.path("instanceId").asText()).isEqualTo("i-0123456789abcdef0");
        assertThat(r.path("verdict").asText()).isEqualTo("NOT_RUNNING");
        assertThat(r.path("explanation").asText()).startsWith("instance is stopped");
    }

    @Test
    void diagnosesEveryInstanceOfAStackFromTheSampleEvent() throws Exception {
        JsonNode r = invoke(Files.readString(ProjectPaths.root().resolve("events/diagnose-stack.json")));

        assertThat(r.path("stack").asText()).isEqualTo("streamr-p2p-beta");
        assertThat(r.path("diagnoses")).hasSize(1);
        assertThat(r.path("diagnoses").get(0).path("verdict").asText()).isEqualTo("NOT_RUNNING");
    }

    @Test
    void answersBadInputWithAnErrorAndNoAwsCall() throws Exception {
        assertThat(invoke("{\"instanceId\": \"i-123; rm -rf /\"}").path("error").asText())
                .isEqualTo("not an EC2 instance id (i-0123456789abcdef0): \"i-123; rm -rf /\"");
        assertThat(invoke("not json").path("error").asText()).isEqualTo("the event is not JSON");
        assertThat(invoke("[]").path("error").asText()).startsWith("expected {\"instanceId\"");
        assertThat(invoke("{}").path("error").asText()).startsWith("expected {\"instanceId\"");
        assertThat(invoke("{\"instanceId\": \"i-0123456789abcdef0\", \"desired\": \"main\"}").path("error").asText())
                .isEqualTo("desired must be a 40-hex commit SHA");
        assertThat(fleet.calls).isEmpty();
    }

    @Test
    void namesAMissingEnvironmentVariable() {
        assertThatThrownBy(() -> DiagnoseHandler.settings(Map.of("APP_DIRECTORY", "/a", "SERVICE_NAME", "s")))
                .hasMessage("environment variable DIAGNOSE_DOCUMENT is not set");
        assertThat(DiagnoseHandler.settings(Map.of("DIAGNOSE_DOCUMENT", "d", "APP_DIRECTORY", "/a", "SERVICE_NAME", "s",
                "VERSION_URL", "")).versionUrl()).isNull();
    }
}
