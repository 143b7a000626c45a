package com.driftremediator.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Pins the behaviour of the SDK's JSON core that the handlers rely on (it is the SDK's protected API). */
class JsonTest {
    private static final ObjectMapper JACKSON = new ObjectMapper();

    @Test
    void pathsReadNestedFieldsAndElementsAndNeverReturnNull() {
        Json.Value e = Json.parse("{\"detail\":{\"status-details\":{\"status\":\"UPDATE_COMPLETE\"}},"
                + "\"resources\":[\"arn:1\",\"arn:2\"],\"n\":null}");

        assertThat(e.path("detail").path("status-details").path("status").asText("")).isEqualTo("UPDATE_COMPLETE");
        assertThat(e.path("resources").path(1).asText("")).isEqualTo("arn:2");
        assertThat(e.path("resources").path(2).isMissing()).isTrue();
        assertThat(e.path("resources").path(-1).isMissing()).isTrue();
        assertThat(e.path("nope").path("deeper").path(0).asText("default")).isEqualTo("default");
        assertThat(e.path("resources").path("field").isMissing()).isTrue();
        assertThat(e.path("n").isMissing()).isFalse();
        assertThat(e.path("n").isAbsent()).isTrue();
        assertThat(e.path("n").asText("default")).isEqualTo("default");
    }

    @Test
    void asTextGivesScalarsTheirTextAndContainersAnEmptyString() {
        Json.Value v = Json.parse("{\"s\":\"x\",\"i\":12345678901234567890,\"f\":1.5e3,\"t\":true,\"o\":{},\"a\":[1]}");

        assertThat(v.path("s").asText(null)).isEqualTo("x");
        assertThat(v.path("i").asText(null)).isEqualTo("12345678901234567890");
        assertThat(v.path("f").asText(null)).isEqualTo("1.5e3");
        assertThat(v.path("t").asText(null)).isEqualTo("true");
        assertThat(v.path("o").asText(null)).isEmpty();
        assertThat(v.path("a").asText(null)).isEmpty();
        assertThat(v.path("s").stringValue()).isEqualTo("x");
        assertThat(v.path("i").stringValue()).isNull();
    }

    @Test
    void numbersAndBooleansAreReadOnlyWhenTheyAreWhatTheySay() {
        Json.Value v = Json.parse("{\"epoch\":1764338700,\"big\":12345678901234567890,\"frac\":1.5,\"text\":\"7\","
                + "\"neg\":-3,\"exp\":1e3,\"yes\":true,\"no\":false,\"word\":\"true\"}");

        assertThat(v.path("epoch").longValue()).isEqualTo(1764338700L);
        assertThat(v.path("neg").longValue()).isEqualTo(-3L);
        assertThat(v.path("exp").longValue()).isEqualTo(1000L);
        assertThat(v.path("big").longValue()).isNull();
        assertThat(v.path("frac").longValue()).isNull();
        assertThat(v.path("text").longValue()).isNull();
        assertThat(v.path("missing").longValue()).isNull();
        assertThat(v.path("yes").asBoolean(false)).isTrue();
        assertThat(v.path("no").asBoolean(true)).isFalse();
        assertThat(v.path("word").isBoolean()).isFalse();
        assertThat(v.path("word").asBoolean(false)).isFalse();
    }

    @Test
    void elementsAndFieldsKeepDocumentOrderAndAreEmptyForOtherValues() {
        Json.Value v = Json.parse("{\"links\":{\"b\":\"2\",\"a\":\"1\"},\"list\":[\"x\",\"y\"]}");

        assertThat(v.path("links").fields().keySet()).containsExactly("b", "a");
        assertThat(v.path("list").elements()).extracting(e -> e.asText("")).containsExactly("x", "y");
        assertThat(v.path("list").fields()).isEmpty();
        assertThat(v.path("links").elements()).isEmpty();
        assertThat(v.path("missing").elements()).isEmpty();
    }

    @Test
    void parseObjectTakesOnlyObjectsAndNeverThrows() {
        assertThat(Json.parseObject("{\"a\":1}")).isNotNull();
        for (String notAnObject : Arrays.asList(null, "", "  ", "null", "[1]", "\"s\"", "42", "{broken",
                "{'a':1}", "[".repeat(5000), "{\"a\":" + "[".repeat(5000), "\uFEFF{}")) {
            assertThat(Json.parseObject(notAnObject)).as(String.valueOf(notAnObject)).isNull();
        }
    }

    @Test
    void parseRejectsWhatIsNotJsonWithAClearError() {
        assertThatThrownBy(() -> Json.parse("")).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("not JSON");
        assertThatThrownBy(() -> Json.parse("{\"a\":")).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("not JSON");
    }

    @Test
    void theErrorDoesNotQuoteTheInputWhichMayHoldASecret() {
        assertThatThrownBy(() -> Json.parse("{\"token\": \"xoxb-hunter2\" oops}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("not JSON: ")
                .hasNoCause()
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2").doesNotContain("\n"));
    }

    @Test
    void parseIsLenientAboutTextAfterTheFirstValueLikeJacksonReadTree() {
        assertThat(Json.parse("{\"a\":\"1\"} trailing").path("a").asText(null)).isEqualTo("1");
    }

    @Test
    void writeEscapesWhatJsonRequiresAndRoundTripsThroughJackson() throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("quote\"key", "line\nbreak \"quoted\" back\\slash \u0001 tab\t é 😀 \u2028 </script>");
        m.put("null", null);
        m.put("long", 1764338700123L);
        m.put("int", -7);
        m.put("bool", true);
        m.put("enum", Thread.State.RUNNABLE);
        m.put("list", List.of("a", List.of(), Map.of()));
        m.put("nested", Map.of("k", "v"));

        String json = Json.write(m);

        assertThat(json).startsWith("{\"quote\\\"key\":");
        assertThat(JACKSON.readTree(json)).isEqualTo(JACKSON.valueToTree(m));
        assertThat(Json.parse(json).path("quote\"key").asText(null)).isEqualTo(m.get("quote\"key"));
    }

    @Test
    void writeRefusesTypesItDoesNotKnow() {
        assertThatThrownBy(() -> Json.write(Map.of("when", new Object())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("java.lang.Object");
        assertThat(Json.write(null)).isEqualTo("null");
    }
}
