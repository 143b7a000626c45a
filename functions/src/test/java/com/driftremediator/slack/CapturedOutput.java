package com.driftremediator.slack;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Everything written to System.out and System.err while open (still shown on the console). */
public final class CapturedOutput implements AutoCloseable {
    private final PrintStream out = System.out;
    private final PrintStream err = System.err;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

    public CapturedOutput() {
        System.setOut(new PrintStream(new Tee(out, buffer), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new Tee(err, buffer), true, StandardCharsets.UTF_8));
    }

    public synchronized String text() {
        return buffer.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        System.setOut(out);
        System.setErr(err);
    }

    private static final class Tee extends OutputStream {
        private final OutputStream a;
        private final ByteArrayOutputStream b;

        Tee(OutputStream a, ByteArrayOutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int c) {
            synchronized (b) {
                b.write(c);
            }
            try {
                a.write(c);
            } catch (java.io.IOException ignored) {
                // the console copy is best effort
            }
        }

        @Override
        public void write(byte[] bytes, int off, int len) {
            synchronized (b) {
                b.write(bytes, off, len);
            }
            try {
                a.write(bytes, off, len);
            } catch (java.io.IOException ignored) {
                // the console copy is best effort
            }
        }
    }
}
