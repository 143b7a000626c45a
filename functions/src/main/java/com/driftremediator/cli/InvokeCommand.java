package com.driftremediator.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code remediator invoke FUNCTION_ID -e EVENT.json [--env-vars FILE] [--package DIR]}: like
 * {@code sam local invoke}, without a container. Finds the function's handler and environment in template.yaml,
 * then runs the handler once in a fresh JVM with exactly that environment (plus this shell's, for
 * AWS_ENDPOINT_URL, region and credentials): the handler's no-arg constructor reads its configuration as it
 * would on Lambda. Response JSON on stdout, logs on stderr. {@code --env-vars} defaults to
 * $DRIFT_REMEDIATOR_ENV_VARS (exported by {@code emulator up}). {@code --package} runs a package {@code sam build}
 * made (e.g. .aws-sam/build/DriftCheckFunction) as the java21 container runs it, behind AWS's Runtime Interface
 * Emulator ({@link LambdaContainer}).
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
        Map<String, String> shell = new HashMap<>(System.getenv());
        shell.putAll(environment);
        FunctionSpec spec = FunctionSpec.of(Template.read(Project.template()), functionId, envVars, shell, region(shell));
        if (pkg != null) return LambdaContainer.invoke(spec, pkg, event, shell, region(shell), stdout);
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-cp", System.getProperty("java.class.path"),
                HandlerRunner.class.getName(), spec.handler(), spec.logicalId(), Integer.toString(spec.timeoutSeconds()),
                Integer.toString(spec.memoryMb())));
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        Map<String, String> env = pb.environment();
        env.putAll(environment);
        env.putAll(spec.variables());
        env.put("AWS_LAMBDA_FUNCTION_NAME", spec.logicalId());
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(spec.memoryMb()));
        env.putIfAbsent("AWS_REGION", region(shell));
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

    private static String region(Map<String, String> shell) {
        String r = shell.get("AWS_REGION");
        if (r == null || r.isBlank()) r = shell.get("AWS_DEFAULT_REGION");
        return r == null || r.isBlank() ? "eu-west-1" : r;
    }
}
