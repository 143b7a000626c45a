package com.driftremediator.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Variants of a JSON document nobody wrote a fixture for: each field removed, or replaced by another type or a hostile value. */
public final class JsonMutants {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    public static final List<JsonNode> REPLACEMENTS = List.of(NODES.nullNode(), NODES.numberNode(42),
            NODES.numberNode(-1.5e300), NODES.booleanNode(true), NODES.textNode(""), NODES.textNode("$(reboot)"),
            NODES.textNode("main; rm -rf /"), NODES.textNode("x".repeat(100_000)), NODES.textNode("\u0000\u202e"),
            NODES.textNode("<!channel> <https://evil.example|click> &amp; `x`"),
            NODES.arrayNode(), NODES.objectNode());

    private JsonMutants() {
    }

    /** Each field and array element (at any depth) removed (fields) and replaced by every one of {@link #REPLACEMENTS}. */
    public static List<String> of(String json) {
        try {
            JsonNode original = JSON.readTree(json);
            List<Consumer<JsonNode>> edits = new ArrayList<>();
            collect(original, new ArrayList<>(), edits);
            List<String> out = new ArrayList<>();
            for (Consumer<JsonNode> edit : edits) {
                JsonNode copy = original.deepCopy();
                edit.accept(copy);
                out.add(JSON.writeValueAsString(copy));
            }
            return out;
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** For an assertion's description: the mutant, cut short. */
    public static String shown(String mutant) {
        return mutant.length() > 300 ? mutant.substring(0, 300) + "..." : mutant;
    }

    private static void collect(JsonNode node, List<Object> path, List<Consumer<JsonNode>> edits) {
        if (node instanceof ObjectNode object) {
            object.fieldNames().forEachRemaining(name -> {
                List<Object> here = List.copyOf(path);
                edits.add(copy -> ((ObjectNode) at(copy, here)).remove(name));
                for (JsonNode replacement : REPLACEMENTS) {
                    edits.add(copy -> ((ObjectNode) at(copy, here)).set(name, replacement.deepCopy()));
                }
                List<Object> child = new ArrayList<>(path);
                child.add(name);
                collect(object.get(name), child, edits);
            });
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                int index = i;
                List<Object> here = List.copyOf(path);
                for (JsonNode replacement : REPLACEMENTS) {
                    edits.add(copy -> ((ArrayNode) at(copy, here)).set(index, replacement.deepCopy()));
                }
                List<Object> child = new ArrayList<>(path);
                child.add(index);
                collect(array.get(i), child, edits);
            }
        }
    }

    private static JsonNode at(JsonNode root, List<Object> path) {
        JsonNode node = root;
        for (Object step : path) node = step instanceof String name ? node.get(name) : node.get((Integer) step);
        return node;
    }
}
