package com.driftremediator.github;

import java.util.regex.Pattern;

/**
 * What the receiver accepts: pushes to {@code branch} of {@code repository} ("owner/name", GitHub's full_name),
 * bodies up to {@code maxBodyBytes}.
 */
public record WebhookSettings(String repository, String branch, int maxBodyBytes) {
    /** A Function URL takes requests up to 6 MB; the same bound holds wherever else the handler runs. */
    public static final int FUNCTION_URL_MAX_BODY = 6 * 1024 * 1024;
    private static final Pattern FULL_NAME = Pattern.compile("^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$");

    public WebhookSettings {
        if (repository == null || !FULL_NAME.matcher(repository).matches()) {
            throw new IllegalArgumentException("repository must be owner/name, got " + repository);
        }
        if (branch == null || branch.isBlank() || branch.startsWith("refs/")) {
            throw new IllegalArgumentException("branch must be a branch name such as main, got " + branch);
        }
        if (maxBodyBytes <= 0) throw new IllegalArgumentException("maxBodyBytes must be positive");
    }
}
