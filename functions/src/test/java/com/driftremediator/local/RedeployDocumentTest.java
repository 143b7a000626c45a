package com.driftremediator.local;

import com.driftremediator.testing.ProjectPaths;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** RedeployDocument's contract in template.yaml, and SSM's check of its parameters before a command is sent. */
class RedeployDocumentTest {
    private final SsmDocument document = SsmDocument.fromTemplate(ProjectPaths.root().resolve("template.yaml"), "RedeployDocument");

    @Test
    void extractsTheParametersThatOtherComponentsPassByName() {
        assertThat(document.parameters().keySet()).containsExactlyInAnyOrder("Revision", "RepositoryUrl", "AppDirectory",
                "ServiceName", "HealthUrl", "HealthTimeoutSeconds", "KeepReleases", "AppUser", "MinFreeMegabytes", "SourceSecret",
                "SshKnownHosts", "GitUsername");
    }

    @Test
    void everyParameterHasAnAllowedPatternAndArrivesAsAnEnvironmentVariable() {
        document.parameters().values().forEach(p -> {
            assertThat(p.allowedPattern()).as(p.name()).isNotNull();
            assertThat(p.interpolationType()).as(p.name()).isEqualTo("ENV_VAR");
        });
    }

    @Test
    void scriptIsPosixShAndNeverSubstitutesOrEvaluatesParameters() {
        assertThat(document.script()).startsWith("#!/bin/sh\n");
        assertThat(document.script()).doesNotContain("{{").doesNotContainPattern("(?m)^\\s*eval\\b|[;&|]\\s*eval\\b");
        document.parameters().keySet().forEach(name -> assertThat(document.script()).contains("${SSM_" + name + "-}"));
    }

    @Test
    void documentsEveryExitCodeAtTheTop() {
        String header = document.script().substring(0, document.script().indexOf("set -u"));
        for (int code : List.of(0, 2, 3, 4, 5, 6, 7, 8, 9, 10)) {
            assertThat(header).containsPattern("(?m)^#\\s+" + code + " ");
        }
    }

    @Test
    void acceptsTheValuesOfAnInstance() {
        assertThat(document.resolve(valid())).isEqualTo(valid());
    }

    @Test
    void fillsInTheDefaultsOfTheParametersLeftOut() {
        Map<String, String> values = valid();
        values.remove("KeepReleases");
        values.remove("AppUser");

        assertThat(document.resolve(values)).containsEntry("KeepReleases", "5").containsEntry("AppUser", "ec2-user");
    }

    @Test
    void rejectsHostileValuesAsSsmWouldBeforeSending() {
        for (String hostile : List.of("$(touch /tmp/pwned)", "a; touch /tmp/pwned", "`touch /tmp/pwned`", "a\ntouch")) {
            for (String name : document.parameters().keySet()) {
                Map<String, String> values = valid();
                values.put(name, hostile);
                assertThatThrownBy(() -> document.resolve(values)).as(name + "=" + hostile)
                        .hasMessageContaining("InvalidParameters: " + name);
            }
        }
    }

    @Test
    void rejectsMissingAndUnknownParameters() {
        Map<String, String> missing = valid();
        missing.remove("Revision");
        assertThatThrownBy(() -> document.resolve(missing)).hasMessageContaining("no value for Revision");
        Map<String, String> unknown = valid();
        unknown.put("Branch", "main");
        assertThatThrownBy(() -> document.resolve(unknown)).hasMessageContaining("no parameter Branch");
    }

    private static Map<String, String> valid() {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("Revision", "3f2a1c9d".repeat(5));
        v.put("RepositoryUrl", "https://github.com/example/streamr-p2p.git");
        v.put("AppDirectory", "/home/ec2-user/app");
        v.put("ServiceName", "streamr-app");
        v.put("HealthUrl", "http://127.0.0.1:8000/health");
        v.put("HealthTimeoutSeconds", "60");
        v.put("KeepReleases", "5");
        v.put("AppUser", "ec2-user");
        v.put("MinFreeMegabytes", "512");
        v.put("SourceSecret", "");
        v.put("SshKnownHosts", "");
        v.put("GitUsername", "x-access-token");
        return v;
    }
}
