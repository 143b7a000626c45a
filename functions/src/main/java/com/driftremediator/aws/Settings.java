package com.driftremediator.aws;

import java.util.Map;

/**
 * Function configuration from environment variables, read once at cold start. A required variable that is
 * missing fails right there, with its name, rather than on the first event.
 */
public final class Settings {
    private final Map<String, String> env;

    public Settings(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    public static Settings fromSystem() {
        return new Settings(System.getenv());
    }

    public Map<String, String> asMap() {
        return env;
    }

    public String require(String name) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException("environment variable " + name + " is not set");
        }
        return v.strip();
    }

    /** The value, or {@code fallback} when unset or blank. */
    public String get(String name, String fallback) {
        String v = env.get(name);
        return v == null || v.isBlank() ? fallback : v.strip();
    }

    public int getInt(String name, int fallback) {
        String v = get(name, null);
        if (v == null) return fallback;
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("environment variable " + name + " is not a number: " + v);
        }
    }
}
