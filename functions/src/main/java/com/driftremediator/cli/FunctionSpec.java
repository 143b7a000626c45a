package com.driftremediator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * One function of template.yaml as {@code sam local invoke} sees it: its handler, and its environment built
 * from Globals and its own Environment (intrinsics resolved with the parameters' defaults, an unresolved one such as
 * {@code AWS::NoValue} empty), then the shell's value of a declared variable over that, then an env-vars file in
 * SAM's shape {@code {"FunctionId": {...}, "Parameters": {...}}} over both. As with SAM, only variables the template
 * declares are overridden; "Parameters" applies to every function, the function's own entry wins.
 */
record FunctionSpec(String logicalId, String handler, int timeoutSeconds, int memoryMb, Map<String, String> variables,
                    Map<String, String> logging) {
    private static final ObjectMapper JSON = new ObjectMapper();

    static FunctionSpec of(Template template, String logicalId, Path envVarsFile, Map<String, String> shell, String region) {
        Map<String, Object> resource = template.resource(logicalId);
        if (resource == null || !"AWS::Serverless::Function".equals(resource.get("Type"))) {
            TreeSet<String> functions = new TreeSet<>();
            template.resources().forEach((id, r) -> {
                if (r instanceof Map<?, ?> m && "AWS::Serverless::Function".equals(m.get("Type"))) functions.add(id);
            });
            throw new Main.UsageException("no function " + logicalId + " in template.yaml (functions: "
                    + String.join(", ", functions) + ")");
        }
        Map<String, Object> props = template.properties(logicalId);
        Map<String, Object> globals = template.globalFunction();
        Intrinsics intrinsics = new Intrinsics(template.parameterDefaults(), Map.of(), region);
        String handler = String.valueOf(props.getOrDefault("Handler", globals.get("Handler")));
        if (handler.equals("null")) throw new Main.UsageException(logicalId + " has no Handler");

        Map<String, String> variables = new LinkedHashMap<>();
        template.globalVariables().forEach((k, v) -> variables.put(k, intrinsics.text(v)));
        template.functionVariables(logicalId).forEach((k, v) -> variables.put(k, intrinsics.text(v)));
        variables.replaceAll((name, value) -> shell.getOrDefault(name, value));
        if (envVarsFile != null) {
            JsonNode overrides = read(envVarsFile);
            for (String section : new String[] {"Parameters", logicalId}) {
                overrides.path(section).fields().forEachRemaining(e -> {
                    if (variables.containsKey(e.getKey())) variables.put(e.getKey(), e.getValue().asText());
                });
            }
        }
        int timeout = number(props.getOrDefault("Timeout", globals.get("Timeout")), 3);
        int memory = number(props.getOrDefault("MemorySize", globals.get("MemorySize")), 128);
        return new FunctionSpec(logicalId, handler, timeout, memory, variables,
                logging(props.getOrDefault("LoggingConfig", globals.get("LoggingConfig"))));
    }

    /** Lambda's variables for LoggingConfig, as SAM sets them: the format, and with JSON the application log level. */
    private static Map<String, String> logging(Object config) {
        if (!(config instanceof Map<?, ?> c) || c.get("LogFormat") == null) return Map.of();
        String format = String.valueOf(c.get("LogFormat"));
        return format.equals("JSON")
                ? Map.of("AWS_LAMBDA_LOG_FORMAT", format, "AWS_LAMBDA_LOG_LEVEL", String.valueOf(
                        c.get("ApplicationLogLevel") == null ? "INFO" : c.get("ApplicationLogLevel")))
                : Map.of("AWS_LAMBDA_LOG_FORMAT", format);
    }

    private static JsonNode read(Path file) {
        try {
            JsonNode n = JSON.readTree(file.toFile());
            if (n == null || !n.isObject()) throw new Main.UsageException(file + ": not a JSON object");
            return n;
        } catch (IOException e) {
            throw new Main.UsageException("cannot read --env-vars " + file + ": " + e.getMessage());
        }
    }

    private static int number(Object value, int fallback) {
        return value instanceof Number n ? n.intValue() : fallback;
    }
}
