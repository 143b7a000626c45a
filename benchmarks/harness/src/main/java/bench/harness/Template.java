package bench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what the benchmark needs from template.yaml (handler, runtime, environment of a function) by indentation,
 * because CloudFormation's short-form tags (!Ref, !Sub) trip generic YAML readers. Values are resolved against the
 * benchmark's provisioned names.
 */
final class Template {
    private final List<String> lines;

    Template(Path file) throws IOException {
        lines = Files.readAllLines(file);
    }

    boolean hasFunction(String id) {
        return block("Resources", id) != null;
    }

    String handler(String id) {
        return scalar(block("Resources", id), "Handler");
    }

    /** The function's runtime (its own, or the Globals one). */
    String runtime(String id) {
        String own = scalar(block("Resources", id), "Runtime");
        return own != null ? own : scalar(block("Globals", "Function"), "Runtime");
    }

    /** The function's Timeout in seconds (its own, or the Globals one). */
    int timeoutSeconds(String id) {
        String own = scalar(block("Resources", id), "Timeout");
        String t = own != null ? own : scalar(block("Globals", "Function"), "Timeout");
        return Integer.parseInt(t.replaceAll("\\s*#.*$", ""));
    }

    /** Globals' variables, then the function's own, resolved with {@code names} (logical ID or parameter -> name). */
    Map<String, String> environment(String id, Function<String, String> names) {
        Map<String, String> env = new LinkedHashMap<>();
        variables(block("Globals", "Function"), env, names);
        variables(block("Resources", id), env, names);
        return env;
    }

    /** [start, end) of the block {@code name} directly under the top-level {@code section}, or null. */
    private int[] block(String section, String name) {
        int start = -1;
        boolean inSection = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank() || line.stripLeading().startsWith("#")) continue;
            int indent = indent(line);
            if (indent == 0) {
                if (start >= 0) return new int[] {start, i};
                inSection = line.startsWith(section + ":");
            } else if (inSection && indent == 2) {
                if (start >= 0) return new int[] {start, i};
                if (line.trim().equals(name + ":")) start = i + 1;
            }
        }
        return start >= 0 ? new int[] {start, lines.size()} : null;
    }

    private String scalar(int[] block, String key) {
        if (block == null) return null;
        for (int i = block[0]; i < block[1]; i++) {
            String t = lines.get(i).trim();
            if (t.startsWith(key + ":")) return unquote(t.substring(key.length() + 1).trim());
        }
        return null;
    }

    private void variables(int[] block, Map<String, String> env, Function<String, String> names) {
        if (block == null) return;
        for (int i = block[0]; i < block[1]; i++) {
            if (!lines.get(i).trim().equals("Variables:")) continue;
            int indent = indent(lines.get(i));
            for (int j = i + 1; j < block[1]; j++) {
                String line = lines.get(j);
                if (line.isBlank() || line.stripLeading().startsWith("#")) continue;
                if (indent(line) <= indent) break;
                String t = line.trim();
                int colon = t.indexOf(':');
                String value = t.substring(colon + 1).trim();
                // CloudFormation drops a key whose value is AWS::NoValue
                if (!value.equals("!Ref AWS::NoValue")) env.put(t.substring(0, colon).trim(), resolve(value, names));
            }
            return;
        }
    }

    private static final Pattern SUB_VAR = Pattern.compile("\\$\\{([A-Za-z0-9:]+)(?:\\.[A-Za-z]+)?}");

    String resolve(String value, Function<String, String> names) {
        if (value.startsWith("!Ref ")) return name(value.substring(5).trim(), names);
        if (value.startsWith("!GetAtt ")) return name(value.substring(8).trim().split("\\.")[0], names);
        if (value.startsWith("!Sub ")) {
            Matcher m = SUB_VAR.matcher(unquote(value.substring(5).trim()));
            StringBuilder out = new StringBuilder();
            while (m.find()) m.appendReplacement(out, Matcher.quoteReplacement(name(m.group(1), names)));
            m.appendTail(out);
            return out.toString();
        }
        return unquote(value);
    }

    private String name(String logicalId, Function<String, String> names) {
        String known = names.apply(logicalId);
        if (known != null) return known;
        String parameterDefault = scalar(block("Parameters", logicalId), "Default");
        if (parameterDefault != null) return parameterDefault;
        throw new IllegalStateException("template.yaml: the benchmark does not provision " + logicalId);
    }

    private static String unquote(String s) {
        if (s.length() >= 2 && (s.startsWith("'") && s.endsWith("'") || s.startsWith("\"") && s.endsWith("\""))) {
            return s.substring(1, s.length() - 1);
        }
        return s;
    }

    private static int indent(String line) {
        int n = 0;
        while (n < line.length() && line.charAt(n) == ' ') n++;
        return n;
    }
}
