package com.driftremediator.cli;

import com.driftremediator.local.Sandbox;
import com.driftremediator.testing.ProjectPaths;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code remediator demo --json} for both scenarios, in-process, against real processes. */
class DemoIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private Path workdir;

    @BeforeEach
    void workdir() throws IOException {
        workdir = Files.createTempDirectory("demo-it-").resolve("sandbox");
    }

    @AfterEach
    void stopProcesses() throws IOException {
        Sandbox.stop(workdir);
        try (Stream<Path> files = Files.walk(workdir.getParent())) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void staleScenarioEndsServingTheDesiredRevision() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        Run run = demo(err, "--json", "--workdir", workdir.toString());

        JsonNode r = run.json;
        assertThat(run.exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(r.path("scenario").asText()).isEqualTo("stale");
        assertThat(r.path("desired").asText()).matches("[0-9a-f]{40}");
        assertThat(r.path("after").path("served").asText()).isEqualTo(r.path("desired").asText());
        assertThat(r.path("after").path("revision").asText()).isEqualTo(r.path("desired").asText());
        assertThat(r.path("before").path("served").asText()).isNotEqualTo(r.path("desired").asText())
                .isEqualTo(r.path("before").path("revision").asText());
        assertThat(r.path("before").path("liveStatus").asInt()).isEqualTo(404);
        assertThat(r.path("after").path("liveStatus").asInt()).isEqualTo(200);
        assertThat(r.path("outcome").asText()).isEqualTo("REMEDIATED");
        assertThat(r.path("durationMs").asLong()).isPositive().isLessThan(20_000);
        assertThat(r.path("diagnosis").path("verdict").asText()).isEqualTo("STALE_SINCE_BOOT");
        assertThat(r.path("diagnosis").path("explanation").asText()).contains(r.path("desired").asText().substring(0, 7));
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("STALE_SINCE_BOOT", "CODE_STALE");
        assertWithinSlackLimits(r.path("notification"));
        assertThat(r.path("notification").path("text").asText()).containsIgnoringCase("remediated");
        assertNothingRuns();
    }

    @Test
    void badReleaseScenarioRollsBackAndTheOldRevisionServesAgain() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        Run run = demo(err, "--scenario", "bad-release", "--json", "--workdir", workdir.toString());

        JsonNode r = run.json;
        assertThat(run.exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(r.path("scenario").asText()).isEqualTo("bad-release");
        assertThat(r.path("outcome").asText()).isEqualTo("ROLLED_BACK");
        assertThat(r.path("after").path("served").asText()).isEqualTo(r.path("before").path("served").asText())
                .isNotEqualTo(r.path("desired").asText());
        assertThat(r.path("after").path("liveStatus").asInt()).isEqualTo(404);
        assertThat(workdir.resolve("instance/home/ec2-user/app.releases/releases")
                .resolve(r.path("desired").asText()).resolve("BAD_RELEASE")).exists();
        assertWithinSlackLimits(r.path("notification"));
        assertThat(r.path("notification").path("text").asText()).containsIgnoringCase("rolled back");
        assertThat(r.path("notification").toString()).as("a rollback carries a diagnosis").contains("Diagnosis",
                "i-0d1f7e5a5b0c0ffee: ", "desired " + r.path("desired").asText().substring(0, 7));
        assertNothingRuns();
    }

    /** The payload SlackNotifierFunction would post: a fallback text, at most 50 blocks, no text object over 3,000. */
    private static void assertWithinSlackLimits(JsonNode payload) {
        assertThat(payload.path("text").asText()).isNotBlank();
        assertThat(payload.path("blocks").size()).isBetween(1, 50);
        payload.findValues("text").stream().filter(JsonNode::isTextual)
                .forEach(t -> assertThat(t.asText().length()).isLessThanOrEqualTo(3000));
    }

    private record Run(int exit, JsonNode json) {
    }

    private static Run demo(ByteArrayOutputStream err, String... args) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = DemoCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), ProjectPaths.root().toString());
        String stdout = out.toString(StandardCharsets.UTF_8);
        assertThat(stdout.lines()).as("stdout is one JSON object").hasSize(1);
        return new Run(exit, JSON.readTree(stdout));
    }

    private void assertNothingRuns() throws IOException {
        int port = JSON.readTree(workdir.resolve("instance/instance.json").toFile()).path("appPort").asInt();
        HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build();
        assertThatThrownBy(() -> HttpClient.newHttpClient().send(health, HttpResponse.BodyHandlers.discarding()))
                .isInstanceOf(ConnectException.class);
    }
}
