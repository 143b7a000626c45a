package com.driftremediator.domain;

import java.time.Instant;
import java.util.Map;

/**
 * What the cloud knows about an instance, before anything runs on it.
 *
 * @param state          EC2 state name (running, stopped, terminated...), null when the instance was not found
 * @param userDataBase64 as DescribeInstanceAttribute returns it; null when the instance has none
 * @param ssm            Systems Manager's view: whether the agent is registered and online
 */
public record InstanceFacts(Target target, String state, Instant launchTime, String instanceProfile,
                            Map<String, String> tags, String userDataBase64, Ssm ssm) {
    public InstanceFacts {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }

    /**
     * @param pingStatus Online, ConnectionLost, Inactive; null when Systems Manager could not say (then the command
     *                   is tried, and its result tells)
     */
    public record Ssm(boolean managed, String pingStatus, String agentVersion, Instant lastPingAt) {
        public static final Ssm NOT_MANAGED = new Ssm(false, null, null, null);
        public static final Ssm UNKNOWN = new Ssm(true, null, null, null);

        /** Worth sending the diagnostic command to. */
        public boolean online() {
            return managed && (pingStatus == null || "Online".equals(pingStatus));
        }
    }

    public static InstanceFacts notFound(Target target) {
        return new InstanceFacts(target, null, null, null, Map.of(), null, Ssm.NOT_MANAGED);
    }

    public boolean found() {
        return state != null;
    }

    public boolean running() {
        return "running".equals(state);
    }
}
