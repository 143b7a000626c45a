package com.driftremediator.github;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** In-memory ports for unit tests. */
public final class WebhookFakes {
    private WebhookFakes() {
    }

    /** A secret that can be rotated; counts the reads. */
    public static final class Secrets implements SecretSource {
        public volatile String value;
        public int reads;

        public Secrets(String value) {
            this.value = value;
        }

        @Override
        public String read() {
            reads++;
            return value;
        }
    }

    public static final class Deliveries implements DeliveryLog {
        public final Set<String> ids = new HashSet<>();

        @Override
        public boolean record(String deliveryId) {
            return ids.add(deliveryId);
        }

        @Override
        public void forget(String deliveryId) {
            ids.remove(deliveryId);
        }
    }

    public static final class Bus implements EventPublisher {
        public final List<GitPush> published = new ArrayList<>();
        public RuntimeException failure;

        @Override
        public void publish(GitPush push) {
            if (failure != null) throw failure;
            published.add(push);
        }
    }
}
