package com.driftremediator.github;

import java.time.Duration;

import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

/** Puts "Git Push" events on RemediationBus. PutEvents reports per-entry failures in a 200 answer: check them. */
public final class EventBridgePublisher implements EventPublisher {
    private final EventBridgeClient client;
    private final String busName;
    private final Duration callTimeout;

    /** @param callTimeout bound on the call, retries included */
    public EventBridgePublisher(EventBridgeClient client, String busName, Duration callTimeout) {
        this.client = client;
        this.busName = busName;
        this.callTimeout = callTimeout;
    }

    @Override
    public void publish(GitPush push) {
        PutEventsResponse r = client.putEvents(b -> b.overrideConfiguration(o -> o.apiCallTimeout(callTimeout))
                .entries(e -> e.eventBusName(busName)
                        .source(GitPush.SOURCE).detailType(GitPush.DETAIL_TYPE).detail(push.detailJson())));
        Integer failed = r.failedEntryCount();
        if (failed != null && failed > 0) {
            PutEventsResultEntry entry = r.entries().isEmpty() ? null : r.entries().get(0);
            throw new IllegalStateException("EventBridge refused the Git Push event: "
                    + (entry == null ? "no entry" : entry.errorCode() + " " + entry.errorMessage()));
        }
    }
}
