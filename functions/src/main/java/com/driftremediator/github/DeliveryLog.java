package com.driftremediator.github;

/** Port: the {@code X-GitHub-Delivery} ids already forwarded, kept for a while so a replay is not forwarded twice. */
public interface DeliveryLog {
    /** Records the id; false when it was already recorded (a replay or a redelivery). */
    boolean record(String deliveryId);

    /** Forgets an id whose push could not be forwarded, so GitHub's redelivery of it is accepted. */
    void forget(String deliveryId);
}
