package com.driftremediator.github;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The "Git Push" event put on RemediationBus: only what a drift check needs, every field bounded, so the event
 * stays a few KB whatever GitHub sent (EventBridge takes at most 256 KB). Field names are a contract with
 * DriftCheckFunction.
 */
public record GitPush(String repository, String ref, String branch, String before, String after, Long pushedAt,
                      boolean forced, String pusher, String message, String compareUrl, String delivery) {
    public static final String SOURCE = "drift-remediator.github";
    public static final String DETAIL_TYPE = "Git Push";
    static final int MAX_MESSAGE = 500;
    static final int MAX_TEXT = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();

    public GitPush {
        repository = cut(repository, MAX_TEXT);
        ref = cut(ref, MAX_TEXT);
        branch = cut(branch, MAX_TEXT);
        pusher = cut(pusher, MAX_TEXT);
        message = cut(message, MAX_MESSAGE);
        compareUrl = cut(compareUrl, MAX_TEXT);
    }

    /**
     * {@code detail}: {repository, ref, branch, before, after, pushedAt, forced, pusher, message, compareUrl, delivery}.
     * {@code pushedAt} is GitHub's {@code repository.pushed_at} in epoch seconds (null when the payload had none):
     * branch mode orders pushes by it, with the before/after chain; {@code forced} marks a deliberate rollback.
     */
    public String detailJson() {
        ObjectNode n = JSON.createObjectNode();
        n.put("repository", repository);
        n.put("ref", ref);
        n.put("branch", branch);
        n.put("before", before);
        n.put("after", after);
        if (pushedAt == null) n.putNull("pushedAt");
        else n.put("pushedAt", pushedAt);
        n.put("forced", forced);
        n.put("pusher", pusher);
        n.put("message", message);
        n.put("compareUrl", compareUrl);
        n.put("delivery", delivery);
        return n.toString();
    }

    /** At most {@code max} characters, ending with "…" when cut, never splitting a surrogate pair. */
    static String cut(String text, int max) {
        if (text == null || text.length() <= max) return text;
        int end = max - 1;
        if (Character.isHighSurrogate(text.charAt(end - 1))) end--;
        return text.substring(0, end) + "…";
    }
}
