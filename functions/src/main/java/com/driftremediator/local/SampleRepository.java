package com.driftremediator.local;

import com.driftremediator.domain.Revision;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The sample app's git repository, built from examples/streamr-app: one commit per line of its
 * COMMITS file, with fixed authors and dates, so every machine gets the same SHAs. A bare repository
 * (the "remote" that instances clone); {@link #push} moves {@code main} as a push would.
 */
public final class SampleRepository {
    private static final Duration GIT_TIMEOUT = Duration.ofSeconds(30);
    public static final String BRANCH = "main";

    private final Path gitDir;
    private final Path stage;
    private final Map<String, Revision> commits = new LinkedHashMap<>();

    private SampleRepository(Path gitDir, Path stage) {
        this.gitDir = gitDir;
        this.stage = stage;
    }

    /** Builds the repository in {@code gitDir} from {@code sources} (the directory holding COMMITS). */
    public static SampleRepository build(Path sources, Path gitDir) {
        SampleRepository repo = new SampleRepository(gitDir, gitDir.resolveSibling(gitDir.getFileName() + ".stage"));
        repo.git("init", "--quiet", "--bare", gitDir.toString());
        repo.git("symbolic-ref", "HEAD", "refs/heads/" + BRANCH);
        try {
            for (String line : Files.readAllLines(sources.resolve("COMMITS"))) {
                if (line.isBlank() || line.startsWith("#")) continue;
                String[] f = line.split("\\|", 3);
                repo.commits.put(f[0], repo.commit(sources.resolve(f[0]), f[2], Instant.parse(f[1])));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + sources.resolve("COMMITS"), e);
        }
        return repo;
    }

    public String url() {
        return "file://" + gitDir.toAbsolutePath();
    }

    public Path gitDir() {
        return gitDir;
    }

    /** The commit built from one directory of COMMITS (v1, v2, v3-broken). */
    public Revision revision(String directory) {
        Revision r = commits.get(directory);
        if (r == null) throw new IllegalArgumentException("no commit from " + directory + " (have " + commits.keySet() + ")");
        return r;
    }

    public Revision head() {
        return Revision.of(git("rev-parse", "refs/heads/" + BRANCH));
    }

    /** Moves main to {@code revision}, as a push of that commit would. */
    public void push(Revision revision) {
        git("update-ref", "refs/heads/" + BRANCH, revision.sha());
    }

    /** Commits the tree in {@code tree} on top of main and moves main to it. */
    public Revision commit(Path tree, String message, Instant date) {
        try {
            clear(stage);
            Files.createDirectories(stage);
            try (Stream<Path> files = Files.walk(tree)) {
                // byte-compiled files are not sources (running an example leaves them behind)
                for (Path src : files.filter(f -> !f.toString().contains("__pycache__")).toList()) {
                    Path dst = stage.resolve(tree.relativize(src).toString());
                    if (Files.isDirectory(src)) Files.createDirectories(dst);
                    else Files.copy(src, dst, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stage " + tree, e);
        }
        git("add", "--all", ".");
        git(Map.of("GIT_AUTHOR_DATE", date.toString(), "GIT_COMMITTER_DATE", date.toString()),
                "commit", "--quiet", "--allow-empty", "-m", message);
        return head();
    }

    private String git(String... args) {
        return git(Map.of(), args);
    }

    private String git(Map<String, String> extraEnv, String... args) {
        ProcessBuilder pb = new ProcessBuilder(Stream.concat(Stream.of("git"), Stream.of(args)).toList());
        Map<String, String> env = pb.environment();
        // the same commits everywhere: no user or system configuration (signing, hooks, templates) takes part
        env.put("GIT_CONFIG_GLOBAL", "/dev/null");
        env.put("GIT_CONFIG_NOSYSTEM", "1");
        env.put("GIT_AUTHOR_NAME", "Streamr Developer");
        env.put("GIT_AUTHOR_EMAIL", "dev@streamr.example");
        env.put("GIT_COMMITTER_NAME", "Streamr Developer");
        env.put("GIT_COMMITTER_EMAIL", "dev@streamr.example");
        if (!List.of(args).contains("init")) {
            env.put("GIT_DIR", gitDir.toString());
            env.put("GIT_WORK_TREE", stage.toString());
        }
        env.putAll(extraEnv);
        if (Files.isDirectory(stage)) pb.directory(stage.toFile());
        return Processes.check(pb, GIT_TIMEOUT);
    }

    /** Removes a directory tree (nothing when it is missing). */
    public static void clear(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
