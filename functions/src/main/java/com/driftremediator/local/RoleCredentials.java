package com.driftremediator.local;

/**
 * The keys an instance role gives (as the instance metadata would): an access key id, its secret, and the session
 * token that comes with a role's temporary keys ({@code null} for none).
 */
public record RoleCredentials(String accessKeyId, String secretAccessKey, String sessionToken) {
    /** What the stand-in role used before it had keys of its own: moto takes any. */
    public static final RoleCredentials TESTING = new RoleCredentials("testing", "testing", null);
}
