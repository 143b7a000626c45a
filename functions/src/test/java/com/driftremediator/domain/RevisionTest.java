package com.driftremediator.domain;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RevisionTest {
    static final String SHA = "194af44c0ffee0ddba11deadbeef0123456789ab";

    @Test
    void acceptsAFullLowercaseSha() {
        assertThat(Revision.of(SHA).shortSha()).isEqualTo("194af44");
    }

    @ParameterizedTest
    @ValueSource(strings = {"194af44", "194AF44C0FFEE0DDBA11DEADBEEF0123456789AB", "0000000000000000000000000000000000000000",
            "194af44c0ffee0ddba11deadbeef0123456789ab; rm -rf /", "$(touch /tmp/x)", "", " "})
    void rejectsAnythingButAFullNonZeroSha(String value) {
        assertThatThrownBy(() -> Revision.of(value)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Revision.parse(value)).isEmpty();
    }

    @Test
    void errorMessagesDoNotEchoControlCharacters() {
        assertThatThrownBy(() -> Revision.of("abc\n\u001b[31mred"))
                .hasMessageNotContaining("\n").hasMessageNotContaining("\u001b");
    }

    @Test
    void shortShasMatchOnlyAsPrefixesOfSevenOrMore() {
        Revision r = Revision.of(SHA);
        assertThat(r.matches("194af44")).isTrue();
        assertThat(r.matches(SHA)).isTrue();
        assertThat(r.matches("194af4")).isFalse();
        assertThat(r.matches("3f2a1c9")).isFalse();
        assertThat(r.matches(null)).isFalse();
    }

    @Test
    void parseTrimsSurroundingWhitespaceFromFilesLikeRevision() {
        assertThat(Revision.parse(SHA + "\n")).contains(Revision.of(SHA));
    }
}
