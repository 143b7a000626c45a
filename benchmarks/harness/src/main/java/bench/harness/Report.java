package bench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The result as JSON-ready maps (the contract of {@code benchmarks/run --json}) and as a text table. */
final class Report {
    private Report() {
    }

    static Map<String, Object> result(List<Bench.Config> configs, List<Bench.Config> variants, Map<String, Bench.Warm> warm,
                                      long zipBytes, long naiveZipBytes, Runtime deployed) throws Exception {
        Map<String, Object> r = new LinkedHashMap<>();
        Stats floor = cold(find(configs, "floor"));
        Stats naive = cold(find(configs, "naive"));
        Bench.Config dc = find(configs, "DriftCheckFunction");
        Stats drift = dc == null ? null : cold(dc);
        r.put("driftCheckColdP50Ms", drift == null ? null : round(drift.p50()));
        r.put("driftCheckColdP90Ms", drift == null ? null : round(drift.p90()));
        r.put("naiveColdP50Ms", round(naive.p50()));
        r.put("naiveColdP90Ms", round(naive.p90()));
        r.put("floorColdP50Ms", round(floor.p50()));
        r.put("floorColdP90Ms", round(floor.p90()));
        Bench.Warm dw = warm.get("DriftCheckFunction");
        r.put("driftCheckWarmP50Ms", dw == null ? null : round(Stats.of(dw.handlerMs()).p50()));
        r.put("driftCheckWarmNonAwsP50Ms", dw == null ? null : round(Stats.of(dw.nonAwsMs()).p50()));
        r.put("driftCheckWarmOutsideSdkP50Ms", dw == null ? null : round(Stats.of(dw.outsideSdkMs()).p50()));
        Bench.Config snapStart = find(variants, Bench.SNAPSTART);
        if (snapStart != null) r.put("driftCheckSnapStartAfterRestoreP50Ms", round(cold(snapStart).p50()));
        Bench.Config unprimed = find(variants, Bench.SNAPSTART_UNPRIMED);
        if (unprimed != null) r.put("driftCheckSnapStartUnprimedAfterRestoreP50Ms", round(cold(unprimed).p50()));
        Bench.Config commandResult = find(variants, Bench.SNAPSTART_COMMAND_RESULT);
        if (commandResult != null) r.put("commandResultSnapStartAfterRestoreP50Ms", round(cold(commandResult).p50()));
        r.put("zipBytes", zipBytes);
        r.put("naiveZipBytes", naiveZipBytes);
        if (drift != null) {
            r.put("driftCheckToNaiveColdRatio", round(drift.p50() / naive.p50(), 3));
            r.put("driftCheckToFloorColdRatio", round(drift.p50() / floor.p50(), 3));
            Map<String, Boolean> targets = new LinkedHashMap<>();
            targets.put("coldP50AtMostHalfOfNaive", drift.p50() <= 0.5 * naive.p50());
            targets.put("coldP50AtMost3xFloor", drift.p50() <= 3 * floor.p50());
            if (dw != null) targets.put("warmP50NonAwsAtMost5Ms", Stats.of(dw.nonAwsMs()).p50() <= 5.0);
            targets.put("zipAtMost12MB", zipBytes <= 12L * 1024 * 1024);
            r.put("targets", targets);
        }

        List<Map<String, Object>> functions = new ArrayList<>();
        for (Bench.Config c : configs) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("name", c.label);
            f.put("handler", c.subject.handler());
            f.put("jvm", describe(c.runtime));
            f.put("cold", stats(cold(c)));
            f.put("coldInit", stats(Stats.of(c.cold.stream().map(Bench.Sample::initMs).toList())));
            f.put("coldCpu", stats(Stats.of(c.cold.stream().map(Bench.Sample::cpuMs).toList())));
            Bench.Warm w = warm.get(c.label);
            if (w != null) {
                f.put("warm", stats(Stats.of(w.handlerMs())));
                f.put("warmNonAws", stats(Stats.of(w.nonAwsMs())));
                f.put("warmOutsideSdk", stats(Stats.of(w.outsideSdkMs())));
                f.put("awsCallsPerInvocation", round(w.awsCallsPerInvocation()));
            }
            functions.add(f);
        }
        r.put("functions", functions);
        List<Map<String, Object>> startup = new ArrayList<>();
        for (Bench.Config c : variants) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("name", c.label);
            v.put("subject", c.subject.id());
            v.put("jvm", describe(c.runtime));
            v.put("cold", stats(cold(c)));
            v.put("coldInit", stats(Stats.of(c.cold.stream().map(Bench.Sample::initMs).toList())));
            v.put("coldCpu", stats(Stats.of(c.cold.stream().map(Bench.Sample::cpuMs).toList())));
            if (c.archive != null) v.put("archiveBytes", Files.size(c.archive));
            Bench.Warm w = warm.get(c.label);
            if (w != null) {
                v.put("warm", stats(Stats.of(w.handlerMs())));
                v.put("warmNonAws", stats(Stats.of(w.nonAwsMs())));
                v.put("warmOutsideSdk", stats(Stats.of(w.outsideSdkMs())));
            }
            startup.add(v);
        }
        r.put("startupVariants", startup);
        r.put("deployedJvm", describe(deployed));
        r.put("machine", machine());
        return r;
    }

    static String table(Map<String, Object> r) {
        StringBuilder out = new StringBuilder();
        out.append(String.format("%-34s %10s %10s %10s %10s %10s %14s %14s%n", "function", "cold p50", "cold p90", "init p50",
                "CPU p50", "warm p50", "warm non-AWS", "warm non-SDK"));
        row(out, r, "functions");
        out.append(String.format("%nstart-up variants (cold)%n"));
        row(out, r, "startupVariants");
        out.append(String.format("%nDriftCheckFunction deployment zip: %.2f MB (%d bytes); naive zip %.2f MB%n",
                ((Number) r.get("zipBytes")).longValue() / 1048576.0, r.get("zipBytes"),
                ((Number) r.get("naiveZipBytes")).longValue() / 1048576.0));
        out.append("every function's zip (bytes): ").append(r.get("packageZipBytes")).append('\n');
        out.append(String.format("DriftCheck/naive cold p50 ratio: %s; DriftCheck/floor: %s%n",
                r.get("driftCheckToNaiveColdRatio"), r.get("driftCheckToFloorColdRatio")));
        out.append("redeploy (local sandbox): ").append(r.get("redeploy")).append('\n');
        out.append("targets: ").append(r.get("targets")).append('\n');
        out.append("machine: ").append(r.get("machine")).append('\n');
        return out.toString();
    }

    @SuppressWarnings("unchecked")
    private static void row(StringBuilder out, Map<String, Object> r, String key) {
        for (Map<String, Object> f : (List<Map<String, Object>>) r.get(key)) {
            Map<String, Object> cold = (Map<String, Object>) f.get("cold");
            Map<String, Object> init = (Map<String, Object>) f.get("coldInit");
            Map<String, Object> cpu = (Map<String, Object>) f.get("coldCpu");
            Map<String, Object> warm = (Map<String, Object>) f.get("warm");
            Map<String, Object> nonAws = (Map<String, Object>) f.get("warmNonAws");
            Map<String, Object> outsideSdk = (Map<String, Object>) f.get("warmOutsideSdk");
            out.append(String.format("%-34s %10s %10s %10s %10s %10s %14s %14s%n", f.get("name"), ms(cold, "p50"),
                    ms(cold, "p90"), ms(init, "p50"), ms(cpu, "p50"), ms(warm, "p50"), ms(nonAws, "p50"),
                    ms(outsideSdk, "p50")));
        }
    }

    private static String ms(Map<String, Object> stats, String key) {
        return stats == null ? "-" : String.format("%.1f ms", ((Number) stats.get(key)).doubleValue());
    }

    private static Bench.Config find(List<Bench.Config> configs, String label) {
        return configs.stream().filter(c -> c.label.equals(label)).findFirst().orElse(null);
    }

    private static Stats cold(Bench.Config c) {
        return Stats.of(c.cold.stream().map(Bench.Sample::totalMs).toList());
    }

    private static Map<String, Object> stats(Stats s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("n", s.n());
        m.put("p50", round(s.p50()));
        m.put("p90", round(s.p90()));
        m.put("min", round(s.min()));
        m.put("max", round(s.max()));
        return m;
    }

    private static String describe(Runtime rt) {
        return rt.javaHome().getFileName() + (rt.c1Only() ? " C1" : " tiered") + (rt.archive() == Runtime.Archive.NONE
                ? "" : " " + rt.archive()) + (rt.toolOptions().isBlank() ? "" : " JAVA_TOOL_OPTIONS=" + rt.toolOptions());
    }

    private static Map<String, Object> machine() throws IOException, InterruptedException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("nproc", java.lang.Runtime.getRuntime().availableProcessors());
        m.put("cpu", Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown"));
        m.put("loadAverage", Files.readString(Path.of("/proc/loadavg")).trim());
        m.put("memTotal", Files.readAllLines(Path.of("/proc/meminfo")).get(0).replaceAll("\\s+", " "));
        m.put("java17", version(Bench.JDK17));
        m.put("java25", version(Bench.JDK25));
        return m;
    }

    private static String version(Path jdk) throws IOException, InterruptedException {
        if (!Files.isExecutable(jdk.resolve("bin/java"))) return "not installed (" + jdk + ")";
        Process p = new ProcessBuilder(jdk.resolve("bin/java").toString(), "-version").redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes()).lines().skip(1).findFirst().orElse("?");
        p.waitFor();
        return text.trim();
    }

    static double round(double v) {
        return round(v, 1);
    }

    static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
