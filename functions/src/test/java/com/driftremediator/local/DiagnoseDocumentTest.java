package com.driftremediator.local;

import com.driftremediator.testing.ProjectPaths;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** DiagnoseDocument's contract in template.yaml: safe parameters, defaults that pass their own patterns. */
class DiagnoseDocumentTest {
    private final JsonNode content = read().path("Resources").path("DiagnoseDocument").path("Properties").path("Content");

    private static JsonNode read() {
        try {
            return new YAMLMapper().readTree(ProjectPaths.root().resolve("template.yaml").toFile());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void everyParameterIsPatternCheckedAndArrivesAsAnEnvironmentVariable() {
        List<String> names = new ArrayList<>();
        content.path("parameters").fields().forEachRemaining(p -> {
            names.add(p.getKey());
            JsonNode spec = p.getValue();
            assertThat(spec.path("interpolationType").asText()).as(p.getKey()).isEqualTo("ENV_VAR");
            Pattern allowed = Pattern.compile(spec.path("allowedPattern").asText());
            assertThat(allowed.matcher(spec.path("default").asText()).matches()).as(p.getKey() + " default").isTrue();
        });
        assertThat(names).containsExactly("AppDirectory", "ServiceName", "CloudInitLog", "TailLines", "VersionUrl");
        assertThat(content.path("schemaVersion").asText()).isEqualTo("2.2");
    }

    @Test
    void theScriptNeverUsesTextSubstitutionAndRejectsHostileValues() {
        String script = SsmDocument.fromTemplate(ProjectPaths.root().resolve("template.yaml"), "DiagnoseDocument").script();
        assertThat(script).doesNotContain("{{").contains("${SSM_AppDirectory:-}");
        Pattern dir = Pattern.compile(content.path("parameters").path("AppDirectory").path("allowedPattern").asText());
        assertThat(dir.matcher("/home/ec2-user/app; rm -rf /").matches()).isFalse();
        assertThat(dir.matcher("/home/ec2-user/$(id)").matches()).isFalse();
        Pattern lines = Pattern.compile(content.path("parameters").path("TailLines").path("allowedPattern").asText());
        assertThat(lines.matcher("200").matches()).isTrue();
        assertThat(lines.matcher("201").matches()).isFalse();
        assertThat(lines.matcher("0").matches()).isFalse();
    }
}
