package com.driftremediator.slack;

import com.driftremediator.domain.RepositoryUrl;
import com.driftremediator.domain.Revision;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What the renderer knows besides the report: where commits can be browsed, the load balancer people curl,
 * and the region the SSM console link points into. Every field may be null (then that link is left out).
 */
public record RenderContext(String repositoryUrl, String loadBalancerUrl, String region) {
    private static final Pattern REGION = Pattern.compile("^" + RepositoryUrl.REGION + "$");

    public static final RenderContext NONE = new RenderContext(null, null, null);

    /** From REPOSITORY_URL, LOAD_BALANCER_URL and AWS_REGION (all optional). */
    public static RenderContext fromEnvironment(Map<String, String> env) {
        return new RenderContext(env.get("REPOSITORY_URL"), env.get("LOAD_BALANCER_URL"), env.get("AWS_REGION"));
    }

    /**
     * https://github.com/o/r/commit/SHA for https, ssh and scp-style remotes, the console's commit page for a
     * CodeCommit repository; empty for anything else, and for a URL the redeploy would refuse (one with credentials
     * in it).
     */
    public Optional<String> commitUrl(Revision revision) {
        String url = repositoryUrl == null ? null : repositoryUrl.strip();
        Optional<RepositoryUrl.CodeCommitRepository> codeCommit = RepositoryUrl.codeCommit(url, region);
        if (codeCommit.isPresent()) {
            RepositoryUrl.CodeCommitRepository r = codeCommit.get();
            return Optional.of("https://" + r.region() + ".console.aws.amazon.com/codesuite/codecommit/repositories/"
                    + r.name() + "/commit/" + revision.sha() + "?region=" + r.region());
        }
        return RepositoryUrl.browseBase(url).flatMap(RenderContext::httpUrl).map(base -> base + "/commit/" + revision.sha());
    }

    /** The SSM console page of a command, where its per-instance output is. */
    public Optional<String> commandUrl(String commandId) {
        if (commandId == null || region == null || !REGION.matcher(region).matches()
                || !commandId.matches("^[0-9a-fA-F-]{36}$")) {
            return Optional.empty();
        }
        return Optional.of("https://" + region + ".console.aws.amazon.com/systems-manager/run-command/"
                + commandId + "?region=" + region);
    }

    public Optional<String> loadBalancer() {
        return httpUrl(loadBalancerUrl);
    }

    /** Only http(s) URLs without spaces or Slack link syntax become links. */
    static Optional<String> httpUrl(String url) {
        if (url == null) return Optional.empty();
        String u = url.strip();
        return u.matches("^https?://[^\\s<>|]+$") ? Optional.of(u) : Optional.empty();
    }
}
