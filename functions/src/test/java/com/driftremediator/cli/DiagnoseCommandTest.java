package com.driftremediator.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Input the command rejects before it builds any AWS client. */
class DiagnoseCommandTest {
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream original;

    @BeforeEach
    void captureStderr() {
        original = System.err;
        System.setErr(new PrintStream(err, true));
    }

    @AfterEach
    void restoreStderr() {
        System.setErr(original);
    }

    @Test
    void rejectsAWrongShapedInstanceIdWithExitStatus2() {
        assertThat(Main.run(new String[] {"diagnose", "--instance-id", "i-XYZ"})).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("remediator diagnose: not an EC2 instance id (i-0123456789abcdef0): 'i-XYZ'\n");
    }

    @Test
    void rejectsMissingIdUnknownOptionsAndFormats() {
        assertThat(Main.run(new String[] {"diagnose"})).isEqualTo(2);
        assertThat(Main.run(new String[] {"diagnose", "--instance-id", "i-0123456789abcdef0", "--colour", "red"})).isEqualTo(2);
        assertThat(Main.run(new String[] {"diagnose", "--instance-id", "i-0123456789abcdef0", "--format", "yaml"})).isEqualTo(2);
        assertThat(Main.run(new String[] {"diagnose", "--instance-id", "i-0123456789abcdef0", "--desired", "abc"})).isEqualTo(2);
        assertThat(err.toString()).contains("--instance-id is required", "unknown option --colour",
                "--format must be text, json or markdown", "--desired must be a 40-hex commit SHA");
    }
}
