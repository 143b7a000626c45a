package com.driftremediator.domain;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The app's git repository as the redeploy fetches it, and as people may see it. Credentials never travel in the URL
 * (it sits in the template, the Lambda environment, every command's parameters and the instance's git config): a URL
 * with a password or a token in it is refused, and what reports, logs and Slack show is reduced to scheme, host and
 * path.
 */
public final class RepositoryUrl {
    /**
     * What a repository URL may be: https, ssh (a user name but never a password), scp-style {@code git@host:path},
     * file, git-remote-codecommit's {@code codecommit::REGION://REPO} and {@code codecommit://REPO}, and an S3 prefix
     * of the pipeline's bundles ({@code s3://BUCKET/PREFIX}: {@code <sha>.tar.gz} and its {@code .sha256}); no user info
     * in https or file URLs, no query, no option-like host or path. The template's RepositoryUrl parameter and
     * RedeployDocument (its allowedPattern and its script) use this same pattern, which a test keeps equal.
     */
    public static final String PATTERN = "^(https://[A-Za-z0-9][A-Za-z0-9.-]*(:[0-9]{1,5})?(/[A-Za-z0-9._~%+-]+)+/?"
            + "|ssh://([a-z_][a-z0-9_-]*@)?[A-Za-z0-9][A-Za-z0-9.-]*(:[0-9]{1,5})?(/[A-Za-z0-9._~%+-]+)+/?"
            + "|[a-z_][a-z0-9_-]*@[A-Za-z0-9][A-Za-z0-9.-]*:[A-Za-z0-9._~+][A-Za-z0-9._~/+-]*"
            + "|file://(/[A-Za-z0-9._~%+-]+)+/?"
            + "|codecommit::[a-z]{2}(-[a-z]+)+-[0-9]://[A-Za-z0-9._-]+|codecommit://[A-Za-z0-9._-]+"
            + "|s3://[a-z0-9][a-z0-9.-]*[a-z0-9](/[A-Za-z0-9._~%+-]+)*)$";
    private static final Pattern ALLOWED = Pattern.compile(PATTERN);
    /** scheme://[user-info@]host[:port]/path[?query][#fragment], loosely: enough to cut what is not public. */
    private static final Pattern URL = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*://)(?:[^@/?#]*@)?([^/?#]*)([^?#]*).*$",
            Pattern.DOTALL);
    private static final Pattern SCP = Pattern.compile("^[a-z_][a-z0-9_-]*@([A-Za-z0-9][A-Za-z0-9.-]*):(.+)$");

    private RepositoryUrl() {
    }

    /** Whether the redeploy takes this URL. */
    public static boolean isAllowed(String url) {
        return url != null && ALLOWED.matcher(url).matches();
    }

    /**
     * The URL with no user info, query or fragment: scheme, host (and port) and path ({@code host:path} for the
     * scp-style form). Safe to print for any text, allowed or not; text that is not a URL gives "(not a URL)".
     */
    public static String publicForm(String url) {
        if (url == null) return "(none)";
        Matcher m = URL.matcher(url.strip());
        if (m.matches()) return m.group(1) + m.group(2) + m.group(3);
        Matcher scp = SCP.matcher(url.strip());
        return scp.matches() ? scp.group(1) + ":" + scp.group(2) : "(not a URL)";
    }

    /** The region and name of a CodeCommit repository, as its three URL forms name them. */
    public record CodeCommitRepository(String region, String name) {
    }

    /** An AWS region's name, such as eu-west-1. */
    public static final String REGION = "[a-z]{2}(?:-[a-z]+)+-[0-9]";
    private static final Pattern CODECOMMIT_HTTPS =
            Pattern.compile("^https://git-codecommit(?:-fips)?\\.(" + REGION + ")\\.amazonaws\\.com/v1/repos/([A-Za-z0-9._-]+)$");
    private static final Pattern CODECOMMIT_REMOTE = Pattern.compile("^codecommit::(" + REGION + ")://([A-Za-z0-9._-]+)$");
    private static final Pattern CODECOMMIT_HERE = Pattern.compile("^codecommit://([A-Za-z0-9._-]+)$");

    /**
     * The CodeCommit repository {@code url} names; {@code codecommit://REPO} is in {@code region} (where the stack
     * runs). Empty for any other URL, and for the China partition's.
     */
    public static Optional<CodeCommitRepository> codeCommit(String url, String region) {
        if (!isAllowed(url)) return Optional.empty();
        Matcher m = CODECOMMIT_HTTPS.matcher(url);
        if (m.matches()) return Optional.of(new CodeCommitRepository(m.group(1), m.group(2)));
        m = CODECOMMIT_REMOTE.matcher(url);
        if (m.matches()) return Optional.of(new CodeCommitRepository(m.group(1), m.group(2)));
        m = CODECOMMIT_HERE.matcher(url);
        if (m.matches() && region != null && region.matches(REGION)) {
            return Optional.of(new CodeCommitRepository(region, m.group(1)));
        }
        return Optional.empty();
    }

    /** Where commits can be browsed: https://host/owner/repo for https, ssh and scp-style remotes. */
    public static Optional<String> browseBase(String url) {
        if (!isAllowed(url)) return Optional.empty();
        String u = url;
        Matcher scp = SCP.matcher(u);
        if (!u.contains("://") && scp.matches()) {
            u = "https://" + scp.group(1) + "/" + scp.group(2);
        } else if (u.startsWith("ssh://")) {
            u = "https://" + u.substring("ssh://".length()).replaceFirst("^[^@/]+@", "").replaceFirst(":\\d+/", "/");
        } else if (!u.startsWith("https://") || u.startsWith("https://git-codecommit")) {
            return Optional.empty(); // CodeCommit's git endpoint browses nothing: see codeCommit
        }
        return Optional.of(u.replaceFirst("/+$", "").replaceFirst("\\.git$", ""));
    }
}
