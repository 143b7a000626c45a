package com.driftremediator.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * template.yaml as plain maps and lists. CloudFormation's short tags become their long form
 * ({@code !Ref X} is {@code {"Ref": "X"}}, {@code !Sub s} is {@code {"Fn::Sub": s}}, {@code !GetAtt A.B} is
 * {@code {"Fn::GetAtt": ["A", "B"]}}).
 */
public final class Template {
    private final Map<String, Object> root;

    private Template(Map<String, Object> root) {
        this.root = root;
    }

    public static Template read(Path file) {
        try (Reader r = Files.newBufferedReader(file)) {
            Object loaded = new Yaml(new CloudFormationConstructor()).load(r);
            if (!(loaded instanceof Map<?, ?> m)) throw new IllegalArgumentException(file + " is not a YAML mapping");
            return new Template(cast(m));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    public Map<String, Object> resources() {
        return section("Resources");
    }

    public Map<String, Object> resource(String logicalId) {
        Object r = resources().get(logicalId);
        return r instanceof Map<?, ?> m ? cast(m) : null;
    }

    /** Properties of a resource (empty when it has none). */
    public Map<String, Object> properties(String logicalId) {
        Map<String, Object> r = resource(logicalId);
        return r != null && r.get("Properties") instanceof Map<?, ?> m ? cast(m) : Map.of();
    }

    /** A template parameter's declaration (Type, Default, AllowedPattern, ...); empty when there is none. */
    public Map<String, Object> parameter(String name) {
        return section("Parameters").get(name) instanceof Map<?, ?> m ? cast(m) : Map.of();
    }

    /** Parameter name to its Default (as text), for parameters that have one. */
    public Map<String, String> parameterDefaults() {
        Map<String, String> out = new LinkedHashMap<>();
        section("Parameters").forEach((name, p) -> {
            if (p instanceof Map<?, ?> m && m.get("Default") != null) out.put(name, String.valueOf(m.get("Default")));
        });
        return out;
    }

    /** Globals.Function. */
    public Map<String, Object> globalFunction() {
        return nested(root, "Globals", "Function");
    }

    /** Globals.Function.Environment.Variables, raw (values may be intrinsic functions). */
    public Map<String, Object> globalVariables() {
        return variables(globalFunction());
    }

    public Map<String, Object> functionVariables(String logicalId) {
        return variables(properties(logicalId));
    }

    private static Map<String, Object> variables(Map<String, Object> functionProperties) {
        return nested(functionProperties, "Environment", "Variables");
    }

    private Map<String, Object> section(String name) {
        return root.get(name) instanceof Map<?, ?> m ? cast(m) : Map.of();
    }

    private static Map<String, Object> nested(Map<String, Object> from, String... path) {
        Object at = from;
        for (String key : path) {
            if (!(at instanceof Map<?, ?> m)) return Map.of();
            at = m.get(key);
        }
        return at instanceof Map<?, ?> m ? cast(m) : Map.of();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> cast(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }

    /** Reads every {@code !Tag} as the long-form intrinsic function it stands for. */
    private static final class CloudFormationConstructor extends SafeConstructor {
        CloudFormationConstructor() {
            super(new LoaderOptions());
            yamlMultiConstructors.put("!", new AbstractConstruct() {
                @Override
                public Object construct(Node node) {
                    String tag = node.getTag().getValue().substring(1);
                    Object value;
                    if (node instanceof ScalarNode s) value = constructScalar(s);
                    else if (node instanceof SequenceNode s) value = constructSequence(s);
                    else value = constructMapping((MappingNode) node);
                    if (tag.equals("Ref") || tag.equals("Condition")) return Map.of(tag, value);
                    if (tag.equals("GetAtt") && value instanceof String s) {
                        value = List.of(Arrays.copyOf(s.split("\\.", 2), 2));
                    }
                    return Map.of("Fn::" + tag, value);
                }
            });
        }
    }
}
