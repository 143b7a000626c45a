package com.driftremediator.domain;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The attempt as written in SendCommand's Comment (at most 100 characters), so that a command sent but never
 * recorded is found again and adopted: {@code drift-remediator:<environment>:<sha>#<number>}.
 */
public record AttemptComment(String environment, String attemptId) {
    private static final String PREFIX = "drift-remediator:";
    private static final Pattern FORMAT = Pattern.compile("^drift-remediator:([A-Za-z0-9_.-]{1,40}):([0-9a-f]{40}#[0-9]{1,6})$");

    public static AttemptComment of(Attempt attempt) {
        return new AttemptComment(attempt.environment(), attempt.id());
    }

    public String text() {
        return PREFIX + environment + ":" + attemptId;
    }

    /** The attempt a command's comment names; empty for any other comment. */
    public static Optional<AttemptComment> parse(String comment) {
        if (comment == null) return Optional.empty();
        Matcher m = FORMAT.matcher(comment.strip());
        return m.matches() ? Optional.of(new AttemptComment(m.group(1), m.group(2))) : Optional.empty();
    }
}
