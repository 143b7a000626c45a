package com.driftremediator.cli;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves the intrinsic functions found in environment variables and document contents the way
 * {@code sam local invoke} does: Ref of a parameter is its default (or an override), pseudo parameters get
 * local values, a resource whose physical name is known resolves to it, any other resource to its logical ID.
 */
final class Intrinsics {
    private static final Pattern SUB = Pattern.compile("\\$\\{([^}!]+)}");

    private final Map<String, String> parameters;
    private final Map<String, String> resources;
    private final String region;

    /** @param resources logical ID (or "Id.Attribute") to its physical value, for what exists locally */
    Intrinsics(Map<String, String> parameters, Map<String, String> resources, String region) {
        this.parameters = parameters;
        this.resources = resources;
        this.region = region;
    }

    Object resolve(Object value) {
        if (value instanceof Map<?, ?> m && m.size() == 1) {
            Map.Entry<?, ?> e = m.entrySet().iterator().next();
            String fn = String.valueOf(e.getKey());
            Object arg = e.getValue();
            switch (fn) {
                case "Ref":
                    return ref(String.valueOf(arg));
                case "Fn::Sub":
                    return sub(arg);
                case "Fn::GetAtt":
                    List<?> parts = (List<?>) arg;
                    return ref(parts.get(0) + "." + parts.get(1));
                case "Fn::Join":
                    List<?> join = (List<?>) arg;
                    return String.join(String.valueOf(join.get(0)),
                            ((List<?>) join.get(1)).stream().map(this::text).toList());
                default:
                    break;
            }
        }
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> out = new java.util.LinkedHashMap<>();
            m.forEach((k, v) -> out.put(String.valueOf(k), resolve(v)));
            return out;
        }
        if (value instanceof List<?> l) {
            return l.stream().map(this::resolve).toList();
        }
        return value;
    }

    String text(Object value) {
        Object r = resolve(value);
        return r == null ? "" : String.valueOf(r);
    }

    private String ref(String name) {
        switch (name) {
            case "AWS::Region": return region;
            case "AWS::AccountId": return "123456789012";
            case "AWS::Partition": return "aws";
            case "AWS::URLSuffix": return "amazonaws.com";
            case "AWS::StackName": return "local";
            case "AWS::NoValue": return "";
            default: break;
        }
        if (parameters.containsKey(name)) return parameters.get(name);
        return resources.getOrDefault(name, name);
    }

    private String sub(Object arg) {
        String text;
        Map<?, ?> vars = Map.of();
        if (arg instanceof List<?> l) {
            text = String.valueOf(l.get(0));
            vars = (Map<?, ?>) l.get(1);
        } else {
            text = String.valueOf(arg);
        }
        Matcher m = SUB.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1).strip();
            String value = vars.containsKey(name) ? String.valueOf(resolve(vars.get(name))) : ref(name);
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }
}
