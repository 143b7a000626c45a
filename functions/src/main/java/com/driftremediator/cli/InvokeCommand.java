package com.driftremediator.cli;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code remediator invoke FUNCTION_ID -e EVENT.json [--env-vars FILE] [--package DIR]}: like
 * {@code sam local invoke}, without a container. Finds the function's handler and environment in template.yaml,
 * then runs the handler once in a fresh JVM with exactly that environment (plus this shell's, for
 * AWS_ENDPOINT_URL, region and credentials): the handler's no-arg constructor reads its configuration as it
 * would on Lambda. Response JSON on stdout, logs on stderr. {@code --env-vars} defaults to
 * $DRIFT_REMEDIATOR_ENV_VARS (exported by {@code emulator up}). {@code --package} runs the code of a package
 * {@code sam build} made (e.g. .aws-sam/build/DriftCheckFunction) instead of this CLI's: that JVM's class path
 * is the package alone (classes, lib/*.jar) plus the two classes that call the handler.
 */
final class InvokeCommand {
    private InvokeCommand() {
    }

    static int run(String[] args) {
        Flags f = new Flags(args, Set.of("-e", "--event", "--env-vars", "-n", "--package"), Set.of());
        if (f.positional().size() != 1 || f.get("-e", "--event") == null) {
            throw new Main.UsageException("usage: invoke FUNCTION_ID -e EVENT.json [--env-vars FILE] [--package DIR]");
        }
        Path pkg = f.get("--package") == null ? null : Path.of(f.get("--package"));
        if (pkg != null && !Files.isDirectory(pkg.resolve("lib"))) {
            throw new Main.UsageException("--package " + pkg + " is not a built function package (no lib/ in it)");
        }
        String eventArg = f.get("-e", "--event");
        byte[] event;
        try {
            event = eventArg.equals("-") ? System.in.readAllBytes() : Files.readAllBytes(Path.of(eventArg));
        } catch (IOException e) {
            throw new Main.UsageException("cannot read event " + eventArg + ": " + e.getMessage());
        }
        return invoke(f.positional().get(0), event, envVars(f), pkg, System.out);
    }

    /** --env-vars, or what {@code emulator up} exported, or none. */
    static Path envVars(Flags f) {
        String file = f.get("--env-vars", "-n");
        if (file == null) file = System.getenv("DRIFT_REMEDIATOR_ENV_VARS");
        if (file == null || file.isBlank()) return null;
        Path p = Path.of(file);
        if (!Files.isReadable(p)) throw new Main.UsageException("--env-vars " + file + " is not readable");
        return p;
    }

    static int invoke(String functionId, byte[] event, Path envVars, PrintStream stdout) {
        return invoke(functionId, event, envVars, null, stdout);
    }

    /**
     * Runs one invocation, from this CLI's classes or from {@code pkg}; returns 0, or 1 when the function failed
     * (its error JSON is still printed).
     */
    static int invoke(String functionId, byte[] event, Path envVars, Path pkg, PrintStream stdout) {
        return invoke(functionId, event, envVars, pkg, stdout, Map.of());
    }

    /** @param environment set in the function's JVM over this shell's (the emulator's endpoint and credentials) */
    static int invoke(String functionId, byte[] event, Path envVars, Path pkg, PrintStream stdout,
                      Map<String, String> environment) {
        FunctionSpec spec = FunctionSpec.of(Template.read(Project.template()), functionId, envVars, region());
        String classPath = pkg == null ? System.getProperty("java.class.path")
                : String.join(File.pathSeparator, runnerClasses().toString(), pkg.toString(), pkg.resolve("lib") + File.separator + "*");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-cp", classPath,
                HandlerRunner.class.getName(), spec.handler(), spec.logicalId(), Integer.toString(spec.timeoutSeconds()),
                Integer.toString(spec.memoryMb())));
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        Map<String, String> env = pb.environment();
        env.putAll(environment);
        env.putAll(spec.variables());
        env.put("AWS_LAMBDA_FUNCTION_NAME", spec.logicalId());
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(spec.memoryMb()));
        env.putIfAbsent("AWS_REGION", region());
        try {
            Process p = pb.start();
            try (OutputStream in = p.getOutputStream()) {
                in.write(event);
            }
            try (InputStream out = p.getInputStream()) {
                out.transferTo(stdout);
            }
            stdout.flush();
            return p.waitFor() == 0 ? 0 : 1;
        } catch (IOException e) {
            throw new IllegalStateException("could not start the function's JVM: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    /** HandlerRunner and LocalContext alone, copied out of this CLI, to run a package's handler. */
    private static Path runnerClasses() {
        try {
            Path dir = Files.createTempDirectory("remediator-runner");
            for (Class<?> c : List.of(HandlerRunner.class, LocalContext.class, Class.forName(LocalContext.class.getName() + "$1"))) {
                String file = c.getName().replace('.', '/') + ".class";
                Path target = dir.resolve(file);
                Files.createDirectories(target.getParent());
                try (InputStream in = c.getClassLoader().getResourceAsStream(file)) {
                    Files.copy(in, target);
                }
            }
            try (Stream<Path> files = Files.walk(dir)) {
                files.forEach(p -> p.toFile().deleteOnExit()); // parents first: deleted last
            }
            return dir;
        } catch (IOException | ClassNotFoundException e) {
            throw new IllegalStateException("could not prepare the handler runner: " + e.getMessage(), e);
        }
    }

    private static String region() {
        String r = System.getenv("AWS_REGION");
        if (r == null || r.isBlank()) r = System.getenv("AWS_DEFAULT_REGION");
        return r == null || r.isBlank() ? "eu-west-1" : r;
    }
}
