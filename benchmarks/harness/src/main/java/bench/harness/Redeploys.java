package bench.harness;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.driftremediator.domain.RedeploySummary;
import com.driftremediator.domain.Revision;
import com.driftremediator.local.LocalCommandRunner;
import com.driftremediator.local.Sandbox;
import com.driftremediator.local.SsmDocument;

/**
 * The redeploy script's speed in the local sandbox: a code-only change (a new commit, requirements.txt
 * unchanged) deployed by RedeployDocument, run by the instance's agent, against the naive redeploy (benchmarks/naive-redeploy.sh:
 * remove, clone, venv, pip install, restart). Each side gets its own sandbox, provisioned at v1 by UserData.
 */
final class Redeploys {
    private static final PrintStream LOG = System.err;
    private final Path root;
    private final Path work;
    private final int rounds;

    Redeploys(Path root, Path work, int rounds) {
        this.root = root;
        this.work = work;
        this.rounds = rounds;
    }

    Map<String, Object> measure() throws Exception {
        Map<String, Object> r = new LinkedHashMap<>();
        SsmDocument document = SsmDocument.fromTemplate(root.resolve("template.yaml"), "RedeployDocument");
        List<Double> script = new ArrayList<>();
        double firstRun;
        try (Sandbox sandbox = sandbox("sandbox-script")) {
            LocalCommandRunner runner = new LocalCommandRunner(sandbox, document);
            // The first run moves the plain UserData directory into the releases layout and builds the venv for
            // this requirements.txt: once per instance, not per change.
            long t = System.nanoTime();
            deployed(runner.execute("first", document.resolve(sandbox.redeployParameters(codeChange(sandbox, 0)))));
            firstRun = (System.nanoTime() - t) / 1e6;
            for (int i = 1; i <= rounds; i++) {
                Revision next = codeChange(sandbox, i);
                t = System.nanoTime();
                deployed(runner.execute("change-" + i, document.resolve(sandbox.redeployParameters(next))));
                script.add((System.nanoTime() - t) / 1e6);
            }
        }
        List<Double> naive = new ArrayList<>();
        try (Sandbox sandbox = sandbox("sandbox-naive")) {
            for (int i = 1; i <= rounds; i++) {
                Revision next = codeChange(sandbox, i);
                Map<String, String> p = sandbox.redeployParameters(next);
                ProcessBuilder pb = new ProcessBuilder("sh", root.resolve("benchmarks/naive-redeploy.sh").toString());
                Map<String, String> env = pb.environment();
                env.clear();
                env.put("PATH", sandbox.path());
                env.put("PIP_DISABLE_PIP_VERSION_CHECK", "1"); // no call to PyPI from the benchmark
                env.put("APP_DIRECTORY", p.get("AppDirectory"));
                env.put("REPOSITORY_URL", p.get("RepositoryUrl"));
                env.put("REVISION", p.get("Revision"));
                env.put("SERVICE_NAME", p.get("ServiceName"));
                env.put("HEALTH_URL", p.get("HealthUrl"));
                Path log = work.resolve("logs/naive-redeploy.log");
                pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
                long t = System.nanoTime();
                Process p2 = pb.start();
                if (!p2.waitFor(5, java.util.concurrent.TimeUnit.MINUTES) || p2.exitValue() != 0) {
                    p2.destroyForcibly();
                    throw new IllegalStateException("the naive redeploy failed, see " + log);
                }
                naive.add((System.nanoTime() - t) / 1e6);
            }
        }
        Stats s = Stats.of(script);
        Stats n = Stats.of(naive);
        LOG.printf("bench: redeploy, code-only change: script %s; naive %s%n", s, n);
        r.put("scriptCodeOnlyP50Ms", Report.round(s.p50()));
        r.put("naiveP50Ms", Report.round(n.p50()));
        r.put("ratio", Report.round(s.p50() / n.p50(), 3));
        r.put("scriptFirstRunMs", Report.round(firstRun));
        r.put("rounds", rounds);
        r.put("scriptMs", script.stream().map(Report::round).toList());
        r.put("naiveMs", naive.stream().map(Report::round).toList());
        return r;
    }

    private Sandbox sandbox(String name) {
        Sandbox sandbox = Sandbox.create(work.resolve(name), root.resolve("examples/streamr-app"));
        sandbox.provision(sandbox.repository().revision("v1"));
        return sandbox;
    }

    /** A new commit: v2's tree with one line of app.py changed; requirements.txt as before. */
    private Revision codeChange(Sandbox sandbox, int n) throws IOException {
        Path tree = work.resolve("change-tree");
        if (Files.exists(tree)) {
            try (Stream<Path> files = Files.walk(tree)) {
                for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(f);
            }
        }
        Path v2 = root.resolve("examples/streamr-app/v2");
        try (Stream<Path> files = Files.walk(v2)) {
            for (Path f : files.filter(f -> !f.toString().contains("__pycache__")).toList()) {
                Path t = tree.resolve(v2.relativize(f).toString());
                if (Files.isDirectory(f)) Files.createDirectories(t);
                else Files.copy(f, t, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.writeString(tree.resolve("app.py"), "# code-only change " + n + "\n", StandardOpenOption.APPEND);
        return sandbox.repository().commit(tree, "code-only change " + n, Instant.parse("2026-11-27T10:00:00Z").plusSeconds(n));
    }

    private static void deployed(LocalCommandRunner.Execution e) {
        RedeploySummary summary = e.summary();
        if (e.exitCode() != 0 || summary == null || !summary.result().equals("deployed")) {
            throw new IllegalStateException("the redeploy script did not deploy (exit " + e.exitCode() + "): " + e.stdout()
                    + e.stderr());
        }
    }
}
