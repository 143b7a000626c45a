package com.driftremediator.json;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.protocols.jsoncore.JsonNodeParser;
import software.amazon.awssdk.protocols.jsoncore.JsonWriter;

/**
 * JSON on the Lambda handlers' paths: events in, responses, reports and command output.
 *
 * <p>Built on the AWS SDK's own JSON core ({@code software.amazon.awssdk.protocols.jsoncore}), which the SDK loads
 * for every DynamoDB and SSM call anyway: under a millisecond more at a cold start, where Jackson databind's
 * {@code ObjectMapper} cost a cold drift check about 140 ms (docs/performance.md). The jsoncore classes are the
 * SDK's protected API: the SDK version is pinned by its BOM, and {@code JsonTest} pins every behaviour used here.
 *
 * <p>Parsing is lenient like {@code ObjectMapper.readTree}: text after the first value is ignored.
 */
public final class Json {
    private static final JsonNodeParser PARSER = JsonNode.parser();

    private Json() {
    }

    /** The text's first JSON value; IllegalArgumentException when the text is empty or not JSON. */
    public static Value parse(String text) {
        JsonNode node;
        try {
            node = PARSER.parse(text);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not JSON: " + firstLine(e.getCause() != null ? e.getCause() : e));
        }
        if (node == null) throw new IllegalArgumentException("not JSON: no value");
        return new Value(node);
    }

    /** The JSON object the text holds; null when the text is not JSON or holds something else. */
    public static Value parseObject(String text) {
        if (text == null) return null;
        try {
            Value v = parse(text);
            return v.isObject() ? v : null;
        } catch (IllegalArgumentException notJson) {
            return null;
        }
    }

    /** The parser's message without the location lines that quote the input (it may hold a secret). */
    private static String firstLine(Throwable t) {
        String m = String.valueOf(t.getMessage());
        int end = m.indexOf('\n');
        return end < 0 ? m : m.substring(0, end);
    }

    /**
     * Writes maps (field order kept), iterables, strings, integers (int, long), booleans, enums (their name) and
     * null. Anything else (a double, say) is a programming error: IllegalArgumentException.
     */
    public static String write(Object value) {
        JsonWriter w = JsonWriter.create();
        write(w, value);
        return new String(w.getBytes(), StandardCharsets.UTF_8);
    }

    private static void write(JsonWriter w, Object value) {
        if (value == null) {
            w.writeNull();
        } else if (value instanceof String s) {
            w.writeValue(s);
        } else if (value instanceof Boolean b) {
            w.writeValue(b);
        } else if (value instanceof Integer || value instanceof Long) {
            w.writeValue(((Number) value).longValue());
        } else if (value instanceof Enum<?> e) {
            w.writeValue(e.name());
        } else if (value instanceof Map<?, ?> map) {
            w.writeStartObject();
            map.forEach((k, v) -> {
                w.writeFieldName(String.valueOf(k));
                write(w, v);
            });
            w.writeEndObject();
        } else if (value instanceof Iterable<?> items) {
            w.writeStartArray();
            items.forEach(item -> write(w, item));
            w.writeEndArray();
        } else {
            throw new IllegalArgumentException("cannot write " + value.getClass().getName() + " as JSON");
        }
    }

    /**
     * A parsed value. {@link #path} never returns null: a field or element that is not there reads as a missing
     * value, so chains like {@code e.path("detail").path("status").asText("")} need no checks.
     */
    public static final class Value {
        private static final Value MISSING = new Value(null);
        private final JsonNode node;

        private Value(JsonNode node) {
            this.node = node;
        }

        /** The object's field; missing when this is not an object or has no such field. */
        public Value path(String field) {
            return node != null && node.isObject() ? wrap(node.asObject().get(field)) : MISSING;
        }

        /** The array's element; missing when this is not an array or is shorter. */
        public Value path(int index) {
            if (node == null || !node.isArray() || index < 0) return MISSING;
            List<JsonNode> items = node.asArray();
            return index < items.size() ? wrap(items.get(index)) : MISSING;
        }

        public boolean isMissing() {
            return node == null;
        }

        /** Missing or JSON null. */
        public boolean isAbsent() {
            return node == null || node.isNull();
        }

        public boolean isObject() {
            return node != null && node.isObject();
        }

        public boolean isString() {
            return node != null && node.isString();
        }

        public boolean isBoolean() {
            return node != null && node.isBoolean();
        }

        /**
         * The text of a string, number or boolean; {@code otherwise} when missing or null; "" for an object or an
         * array (there is a value, and it is not text).
         */
        public String asText(String otherwise) {
            if (isAbsent()) return otherwise;
            if (node.isObject() || node.isArray()) return "";
            return node.text();
        }

        /** The string's value; null for anything that is not a JSON string. */
        public String stringValue() {
            return isString() ? node.asString() : null;
        }

        public boolean asBoolean(boolean otherwise) {
            return isBoolean() ? node.asBoolean() : otherwise;
        }

        /** An integral number that fits a long; null for anything else (text, fractions, out of range). */
        public Long longValue() {
            if (node == null || !node.isNumber()) return null;
            try {
                return new BigDecimal(node.asNumber()).longValueExact();
            } catch (ArithmeticException | NumberFormatException notIntegral) {
                return null;
            }
        }

        /** The array's elements; empty when this is not an array. */
        public List<Value> elements() {
            if (node == null || !node.isArray()) return List.of();
            List<Value> items = new ArrayList<>();
            node.asArray().forEach(n -> items.add(wrap(n)));
            return items;
        }

        /** The object's fields in document order; empty when this is not an object. */
        public Map<String, Value> fields() {
            if (node == null || !node.isObject()) return Map.of();
            Map<String, Value> fields = new LinkedHashMap<>();
            node.asObject().forEach((k, v) -> fields.put(k, wrap(v)));
            return Collections.unmodifiableMap(fields);
        }

        private static Value wrap(JsonNode n) {
            return n == null ? MISSING : new Value(n);
        }
    }
}
