package com.driftremediator.domain;

import java.util.Optional;
import java.util.regex.Pattern;

/** A full git commit SHA. Short SHAs are only accepted where a repository resolves them (see {@link #isShort}). */
public record Revision(String sha) {
    private static final Pattern FULL = Pattern.compile("^[0-9a-f]{40}$");
    private static final Pattern SHORT = Pattern.compile("^[0-9a-f]{7,39}$");
    private static final String ZERO = "0".repeat(40);

    public Revision {
        if (sha == null || !FULL.matcher(sha).matches()) {
            throw new IllegalArgumentException("not a 40-hex commit SHA: " + printable(sha));
        }
        if (ZERO.equals(sha)) {
            throw new IllegalArgumentException("the zero SHA names no commit (a branch creation or deletion)");
        }
    }

    public static Revision of(String sha) {
        return new Revision(sha);
    }

    /** The revision when the text is a valid full SHA, empty otherwise (never throws). */
    public static Optional<Revision> parse(String text) {
        if (text == null) return Optional.empty();
        String trimmed = text.strip();
        if (!FULL.matcher(trimmed).matches() || ZERO.equals(trimmed)) return Optional.empty();
        return Optional.of(new Revision(trimmed));
    }

    public static boolean isShort(String text) {
        return text != null && SHORT.matcher(text).matches();
    }

    public String shortSha() {
        return sha.substring(0, 7);
    }

    /** True when an abbreviated SHA (7+ hex chars) names this revision. */
    public boolean matches(String abbreviated) {
        return (isShort(abbreviated) || sha.equals(abbreviated)) && sha.startsWith(abbreviated);
    }

    @Override
    public String toString() {
        return sha;
    }

    // Written out: a record's generated equals and hashCode are linked through invokedynamic on first use, which
    // cost a cold drift check 10 to 30 ms (docs/performance.md).
    @Override
    public boolean equals(Object o) {
        return o instanceof Revision other && sha.equals(other.sha);
    }

    @Override
    public int hashCode() {
        return sha.hashCode();
    }

    /** Quotes hostile input for an error message without letting control characters through. */
    static String printable(String value) {
        if (value == null) return "null";
        String cut = value.length() > 60 ? value.substring(0, 60) + "..." : value;
        return '"' + cut.replaceAll("\\p{Cntrl}", "?") + '"';
    }
}
