package com.driftremediator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** DriftCheckFunction in a running emulator, as its rules invoke it, and what its answer decided. */
final class DriftChecks {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DriftChecks() {
    }

    /** Invokes DriftCheckFunction in-process with {@code event} (a file under the project root); its answer. */
    static JsonNode driftCheck(Emulator emulator, String event) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = InvokeCommand.invoke("DriftCheckFunction", Files.readAllBytes(Project.root().resolve(event)),
                emulator.envVars(), null, new PrintStream(out, true, StandardCharsets.UTF_8), emulator.awsEnvironment());
        assertThat(status).as(out.toString(StandardCharsets.UTF_8)).isZero();
        return JSON.readTree(out.toString(StandardCharsets.UTF_8));
    }

    /** The instances a drift check's answer decided to redeploy. */
    static List<String> redeployed(JsonNode check) {
        List<String> ids = new ArrayList<>();
        check.path("targets").forEach(t -> {
            if ("REDEPLOY".equals(t.path("decision").path("action").asText())) ids.add(t.path("instanceId").asText());
        });
        return ids;
    }
}
