package com.driftremediator.local;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * DiagnoseDocument's shell script, read from template.yaml (its single source), run locally with {@code sh} the way
 * the SSM agent runs it: parameters as {@code SSM_<name>} environment variables, no {@code HOME}.
 */
public final class DiagnoseScript {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private final String script;
    private final Map<String, String> defaults;

    private DiagnoseScript(String script, Map<String, String> defaults) {
        this.script = script;
        this.defaults = defaults;
    }

    public static DiagnoseScript fromTemplate(Path templateYaml) {
        JsonNode content = RedeployScript.documentContent(templateYaml, "DiagnoseDocument");
        String script = RedeployScript.shellScript(content, templateYaml, "DiagnoseDocument");
        Map<String, String> defaults = new LinkedHashMap<>();
        content.path("parameters").fields().forEachRemaining(p -> defaults.put(p.getKey(), p.getValue().path("default").asText("")));
        return new DiagnoseScript("#!/bin/sh\n" + script, defaults);
    }

    public String text() {
        return script;
    }

    /**
     * Runs the script and returns its stdout.
     *
     * @param parameters document parameters by name (AppDirectory, ServiceName, ...); defaults fill the rest
     * @param pathFirst  a directory put first on PATH (the sandbox's {@code systemctl} stand-in), or null
     */
    public String run(Map<String, String> parameters, Path pathFirst) {
        try {
            Path file = Files.createTempFile("diagnose", ".sh");
            try {
                Files.writeString(file, script);
                ProcessBuilder pb = new ProcessBuilder("sh", file.toString());
                Map<String, String> env = pb.environment();
                env.clear();
                String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
                env.put("PATH", pathFirst == null ? path : pathFirst + ":" + path);
                Map<String, String> values = new LinkedHashMap<>(defaults);
                values.putAll(parameters);
                values.forEach((k, v) -> env.put("SSM_" + k, v));
                pb.redirectError(ProcessBuilder.Redirect.DISCARD);
                Process p = pb.start();
                byte[] out = p.getInputStream().readAllBytes();
                if (!p.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IllegalStateException("diagnostic script timed out after " + TIMEOUT);
                }
                return new String(out, StandardCharsets.UTF_8);
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run the diagnostic script: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
