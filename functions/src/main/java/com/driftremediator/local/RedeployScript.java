package com.driftremediator.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * RedeployDocument as template.yaml defines it (the single source): the script of its one
 * aws:runShellScript step and its parameters. The template's CloudFormation tags (!Ref, !Sub) are
 * read as plain scalars, which is all this needs.
 */
public record RedeployScript(String script, Map<String, Parameter> parameters) {
    public static final String RESOURCE = "RedeployDocument";

    public record Parameter(String name, Pattern allowedPattern, String interpolationType) {
    }

    public RedeployScript {
        parameters = Map.copyOf(parameters);
    }

    public static RedeployScript fromTemplate(Path template) {
        JsonNode content = documentContent(template, RESOURCE);
        String script = shellScript(content, template, RESOURCE);
        Map<String, Parameter> parameters = new LinkedHashMap<>();
        content.path("parameters").fields().forEachRemaining(e -> {
            JsonNode p = e.getValue();
            String pattern = p.path("allowedPattern").asText(null);
            parameters.put(e.getKey(), new Parameter(e.getKey(), pattern == null ? null : Pattern.compile(pattern),
                    p.path("interpolationType").asText(null)));
        });
        return new RedeployScript(script, parameters);
    }

    /** The Content of an SSM document resource of template.yaml. */
    static JsonNode documentContent(Path template, String resource) {
        try {
            return new YAMLMapper().readTree(template.toFile()).path("Resources").path(resource).path("Properties")
                    .path("Content");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + template, e);
        }
    }

    /** The script of the document's one aws:runShellScript step. */
    static String shellScript(JsonNode content, Path template, String resource) {
        JsonNode steps = content.path("mainSteps");
        if (steps.size() != 1 || !"aws:runShellScript".equals(steps.get(0).path("action").asText())) {
            throw new IllegalStateException(template + ": " + resource + " must have exactly one aws:runShellScript step");
        }
        StringBuilder script = new StringBuilder();
        steps.get(0).path("inputs").path("runCommand").forEach(line -> script.append(line.asText()));
        return script.toString();
    }

    /**
     * What SSM checks before it sends a command: every value names a parameter of the document and
     * matches its allowedPattern, and every parameter has a value (the sandbox passes all of them).
     */
    public void check(Map<String, String> values) {
        for (Map.Entry<String, String> v : values.entrySet()) {
            Parameter p = parameters.get(v.getKey());
            if (p == null) {
                throw new IllegalArgumentException("InvalidParameters: " + RESOURCE + " has no parameter " + v.getKey());
            }
            if (v.getValue() == null || p.allowedPattern() != null && !p.allowedPattern().matcher(v.getValue()).matches()) {
                throw new IllegalArgumentException("InvalidParameters: " + v.getKey() + " does not match " + p.allowedPattern());
            }
        }
        for (String name : parameters.keySet()) {
            if (!values.containsKey(name)) {
                throw new IllegalArgumentException("InvalidParameters: no value for " + name);
            }
        }
    }
}
