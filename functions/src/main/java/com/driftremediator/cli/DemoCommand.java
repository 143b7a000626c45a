package com.driftremediator.cli;

import com.driftremediator.local.Demo;
import com.driftremediator.local.Sandbox;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.driftremediator.domain.DiagnosisFormat;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * {@code bin/remediator demo [--scenario stale|bad-release] [--workdir DIR] [--keep] [--json]}: the incident
 * replayed in the local sandbox and fixed. Progress on stderr; with --json one JSON object on stdout.
 * Exit 0 exactly when the scenario ended as designed.
 */
final class DemoCommand {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DemoCommand() {
    }

    static int run(String[] args) {
        return run(args, System.out, System.err, System.getenv("DRIFT_REMEDIATOR_HOME"));
    }

    static int run(String[] args, PrintStream out, PrintStream err, String home) {
        Demo.Scenario scenario = Demo.Scenario.STALE;
        Path workdir = null;
        boolean keep = false;
        boolean json = false;
        boolean aws = false;
        Emulator.Source source = Emulator.Source.GIT;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--scenario" -> scenario = scenario(value(args, ++i, "--scenario"));
                case "--workdir" -> workdir = Path.of(value(args, ++i, "--workdir")).toAbsolutePath().normalize();
                case "--keep" -> keep = true;
                case "--json" -> json = true;
                case "--aws" -> aws = true;
                case "--source" -> source = EmulatorCommand.source(value(args, ++i, "--source"));
                default -> throw new Main.UsageException("unknown option " + args[i]
                        + " (usage: demo [--scenario stale|bad-release] [--workdir DIR] [--keep] [--json] [--aws [--source " + EmulatorCommand.SOURCES + "]])");
            }
        }
        if (aws) {
            if (keep || workdir != null) throw new Main.UsageException("--aws takes neither --keep nor --workdir");
            try {
                return AwsDemo.run(scenario == Demo.Scenario.BAD_RELEASE, source, json, out, err);
            } catch (IOException | RuntimeException e) {
                err.println("remediator demo --aws: failed: " + e.getMessage());
                return 1;
            }
        }
        if (source != Emulator.Source.GIT) throw new Main.UsageException("--source is for demo --aws: the secrets and buckets of a source live in the emulated account");
        Path root = projectRoot(home);
        boolean temporary = workdir == null;
        Demo.Result result;
        try {
            if (temporary) workdir = Files.createTempDirectory("drift-remediator-demo-");
            result = new Demo(root, err).run(scenario, workdir, keep);
        } catch (IOException | RuntimeException e) {
            err.println("remediator demo: failed: " + e.getMessage());
            return 1;
        } finally {
            if (temporary && !keep && workdir != null) delete(workdir);
        }
        if (json) {
            out.println(json(result, workdir, keep));
        } else {
            out.printf("%s: %s (desired %s; before: serving %s, /streams/live %d; after: serving %s, /streams/live %d)%n",
                    scenario.id, result.outcome(), result.desired().shortSha(), brief(result.before().served()),
                    result.before().liveStatus(), brief(result.after().served()), result.after().liveStatus());
        }
        return result.asDesigned() ? 0 : 1;
    }

    static String json(Demo.Result r, Path workdir, boolean keep) {
        ObjectNode n = JSON.createObjectNode();
        n.put("scenario", r.scenario().id);
        n.put("desired", r.desired().sha());
        state(n.putObject("before"), r.before());
        state(n.putObject("after"), r.after());
        n.put("outcome", r.outcome().name());
        n.put("asDesigned", r.asDesigned());
        n.put("durationMs", r.durationMs());
        n.put("instanceId", Sandbox.INSTANCE.instanceId());
        n.put("commandId", r.commandId());
        n.put("workdir", keep ? workdir.toString() : null);
        n.set("diagnosis", r.diagnosis() == null ? null : DiagnosisFormat.toJson(r.diagnosis()));
        n.set("notification", r.notification() == null ? null : r.notification().payload());
        return n.toString();
    }

    private static void state(ObjectNode n, Demo.State s) {
        n.put("revision", s.revision() == null ? null : s.revision().sha());
        n.put("served", s.served() == null ? null : s.served().sha());
        n.put("liveStatus", s.liveStatus());
    }

    private static Demo.Scenario scenario(String id) {
        try {
            return Demo.Scenario.of(id);
        } catch (IllegalArgumentException e) {
            throw new Main.UsageException(e.getMessage());
        }
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) throw new Main.UsageException(option + " needs a value");
        return args[i];
    }

    /** The repository: DRIFT_REMEDIATOR_HOME (set by bin/remediator), else the nearest directory with template.yaml. */
    static Path projectRoot(String home) {
        if (home != null && !home.isBlank()) return Path.of(home);
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p.resolve("template.yaml")) && Files.isDirectory(p.resolve("examples"))) return p;
        }
        throw new Main.UsageException("cannot find the repository (template.yaml): run bin/remediator from it");
    }

    private static String brief(com.driftremediator.domain.Revision r) {
        return r == null ? "nothing" : r.shortSha();
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory left behind is harmless
        }
    }
}
