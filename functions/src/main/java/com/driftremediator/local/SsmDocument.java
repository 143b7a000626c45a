package com.driftremediator.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * An SSM Command document (schemaVersion 2.2) as SSM holds it: its parameters and its aws:runShellScript steps.
 * Read from template.yaml (the single source of every document) by the sandbox, or from the content SSM returns
 * (GetDocument) by the emulator, which created it from template.yaml. Nothing here knows what a script does.
 */
public record SsmDocument(String name, Map<String, Parameter> parameters, List<Step> steps) {
    /** The agent's default step timeout (aws:runShellScript timeoutSeconds). */
    static final Duration DEFAULT_STEP_TIMEOUT = Duration.ofSeconds(3600);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A parameter: its default (null when it has none), allowedPattern (null: any value) and interpolationType. */
    public record Parameter(String name, String defaultValue, Pattern allowedPattern, String interpolationType) {
        public boolean environmentVariable() {
            return "ENV_VAR".equals(interpolationType);
        }
    }

    /** One aws:runShellScript step: the lines of runCommand joined as the agent writes them into _script.sh. */
    public record Step(String name, String script, Duration timeout) {
    }

    public SsmDocument {
        parameters = Map.copyOf(parameters);
        steps = List.copyOf(steps);
    }

    /** The Content of the SSM document resource {@code logicalId} of template.yaml; CloudFormation tags read as plain scalars. */
    public static SsmDocument fromTemplate(Path template, String logicalId) {
        try {
            JsonNode content = new YAMLMapper().readTree(template.toFile()).path("Resources").path(logicalId)
                    .path("Properties").path("Content");
            if (content.isMissingNode()) throw new IllegalStateException(template + " has no document " + logicalId);
            return parse(logicalId, content);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + template, e);
        }
    }

    /** A document's content as SSM's GetDocument returns it (JSON). */
    public static SsmDocument fromJson(String name, String content) {
        try {
            return parse(name, JSON.readTree(content));
        } catch (IOException e) {
            throw new IllegalArgumentException("InvalidDocumentContent: " + name + " is not JSON", e);
        }
    }

    static SsmDocument parse(String name, JsonNode content) {
        Map<String, Parameter> parameters = new LinkedHashMap<>();
        content.path("parameters").fields().forEachRemaining(e -> {
            JsonNode p = e.getValue();
            String pattern = p.path("allowedPattern").asText(null);
            parameters.put(e.getKey(), new Parameter(e.getKey(), p.hasNonNull("default") ? p.get("default").asText() : null,
                    pattern == null ? null : Pattern.compile(pattern), p.path("interpolationType").asText(null)));
        });
        List<Step> steps = new ArrayList<>();
        for (JsonNode step : content.path("mainSteps")) {
            String action = step.path("action").asText();
            if (!"aws:runShellScript".equals(action)) {
                throw new IllegalArgumentException(name + ": step " + step.path("name").asText() + " is " + action
                        + "; only aws:runShellScript is supported here");
            }
            JsonNode inputs = step.path("inputs");
            List<String> lines = new ArrayList<>();
            JsonNode run = inputs.path("runCommand");
            if (run.isArray()) run.forEach(l -> lines.add(l.asText()));
            else lines.add(run.asText());
            String timeout = inputs.path("timeoutSeconds").asText("");
            steps.add(new Step(step.path("name").asText(), String.join("\n", lines),
                    timeout.matches("[1-9][0-9]{0,5}") ? Duration.ofSeconds(Long.parseLong(timeout)) : DEFAULT_STEP_TIMEOUT));
        }
        if (steps.isEmpty()) throw new IllegalArgumentException(name + " has no mainSteps");
        return new SsmDocument(name, parameters, steps);
    }

    /** The document of exactly one step (ours): its script. */
    public String script() {
        if (steps.size() != 1) throw new IllegalStateException(name + " has " + steps.size() + " steps, not one");
        return steps.get(0).script();
    }

    /**
     * What SSM checks before it sends a command: every value names a parameter of the document and matches its
     * allowedPattern, and every parameter without a default has a value. Returns every parameter's value, the
     * defaults filled in.
     *
     * @throws IllegalArgumentException "InvalidParameters: ..." as SSM answers SendCommand
     */
    public Map<String, String> resolve(Map<String, String> values) {
        Map<String, String> resolved = new LinkedHashMap<>();
        for (Map.Entry<String, String> v : values.entrySet()) {
            Parameter p = parameters.get(v.getKey());
            if (p == null) {
                throw new IllegalArgumentException("InvalidParameters: " + name + " has no parameter " + v.getKey());
            }
            if (v.getValue() == null || p.allowedPattern() != null && !p.allowedPattern().matcher(v.getValue()).matches()) {
                throw new IllegalArgumentException("InvalidParameters: " + v.getKey() + " does not match " + p.allowedPattern());
            }
        }
        for (Parameter p : parameters.values()) {
            String value = values.containsKey(p.name()) ? values.get(p.name()) : p.defaultValue();
            if (value == null) throw new IllegalArgumentException("InvalidParameters: no value for " + p.name());
            resolved.put(p.name(), value);
        }
        return resolved;
    }
}
