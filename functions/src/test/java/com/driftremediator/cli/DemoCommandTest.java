package com.driftremediator.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DemoCommandTest {
    @Test
    void unknownOptionsAndScenariosAreUsageErrors() {
        assertThat(Main.run(new String[]{"demo", "--colour"})).isEqualTo(2);
        assertThat(Main.run(new String[]{"demo", "--scenario", "meltdown"})).isEqualTo(2);
        assertThat(Main.run(new String[]{"demo", "--workdir"})).isEqualTo(2);
    }
}
