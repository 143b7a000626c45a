package com.driftremediator.testing;

import java.time.Instant;

/** stat and systemd show whole seconds: a change is seen as later than {@code t} only in a later second. */
public final class WholeSeconds {
    private WholeSeconds() {
    }

    /**
     * Returns once the clock is in a second after {@code t}'s (at most a second from now), and some way into it: file
     * times come from the kernel's coarse clock, which can still be in the previous second for a few milliseconds.
     */
    public static void after(Instant t) throws InterruptedException {
        while (true) {
            Instant now = Instant.now();
            if (now.getEpochSecond() > t.getEpochSecond() && now.getNano() >= 50_000_000) return;
            Thread.sleep(10);
        }
    }
}
