package com.driftremediator.domain;

import java.util.regex.Pattern;

/** One EC2 instance (or a sandbox instance) that should run the desired revision. */
public record Target(String instanceId) {
    private static final Pattern INSTANCE_ID = Pattern.compile("^(i|mi)-[0-9a-f]{8}([0-9a-f]{9})?$");

    public Target {
        if (!isInstanceId(instanceId)) {
            throw new IllegalArgumentException("not an EC2 instance id (i-0123456789abcdef0): " + Revision.printable(instanceId));
        }
    }

    public static boolean isInstanceId(String value) {
        return value != null && INSTANCE_ID.matcher(value).matches();
    }

    @Override
    public String toString() {
        return instanceId;
    }
}
