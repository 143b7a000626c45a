package com.driftremediator.domain;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TargetTest {
    @ParameterizedTest
    @ValueSource(strings = {"i-0123456789abcdef0", "i-01234567", "mi-0123456789abcdef0"})
    void acceptsEc2AndManagedInstanceIds(String id) {
        assertThat(new Target(id).instanceId()).isEqualTo(id);
    }

    @ParameterizedTest
    @ValueSource(strings = {"i-0123", "i-0123456789ABCDEF0", "0123456789abcdef0", "i-0123456789abcdef0;ls", "i-xyz"})
    void rejectsOtherShapes(String id) {
        assertThat(Target.isInstanceId(id)).isFalse();
        assertThatThrownBy(() -> new Target(id)).isInstanceOf(IllegalArgumentException.class);
    }
}
