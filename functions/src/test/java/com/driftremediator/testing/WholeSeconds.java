package com.driftremediator.testing;

import java.time.Instant;

/** stat and systemd show whole seconds: a change is seen as later than {@code t} only in a later second. */
public final class WholeSeconds {
    private WholeSeconds() {
    }

    /** Returns once the clock is in a second after {@code t}'s (at most a second from now). */
    public static void after(Instant t) throws InterruptedException {
        while (Instant.now().getEpochSecond() <= t.getEpochSecond()) Thread.sleep(20);
    }
}
