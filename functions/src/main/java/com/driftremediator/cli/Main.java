package com.driftremediator.cli;

import java.util.Arrays;

/** {@code bin/remediator COMMAND ...}: dispatches to one class per command. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            System.err.println(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        try {
            return switch (args[0]) {
                case "demo" -> DemoCommand.run(rest);
                case "invoke" -> InvokeCommand.run(rest);
                case "emulator" -> EmulatorCommand.run(rest);
                case "diagnose" -> DiagnoseCommand.run(rest);
                case "check" -> CheckCommand.run(rest, "check");
                case "history" -> HistoryCommand.run(rest);
                case "retry" -> CheckCommand.run(rest, "retry");
                default -> {
                    System.err.println("remediator: unknown command '" + args[0] + "'\n" + USAGE);
                    yield 2;
                }
            };
        } catch (UsageException e) {
            System.err.println("remediator " + args[0] + ": " + e.getMessage());
            return 2;
        } catch (RuntimeException e) {
            // A missing region, an AWS error...: one clear line, not a stack trace.
            System.err.println("remediator " + args[0] + ": " + e.getClass().getSimpleName() + ": " + e.getMessage());
            return 1;
        }
    }

    /** Bad command-line input: printed as one line, exit status 2, no stack trace. */
    public static final class UsageException extends RuntimeException {
        public UsageException(String message) {
            super(message);
        }
    }

    private static final String USAGE = """
            usage: bin/remediator COMMAND [options]
              demo [--scenario stale|bad-release] [--workdir DIR] [--keep] [--json]
                                       replay the incident in the local sandbox and fix it
              invoke FUNCTION_ID -e EVENT.json [--env-vars FILE] [--package DIR]
                                       invoke one function of template.yaml, like `sam local invoke`
                                       (--package: the code of a `sam build` package, e.g. .aws-sam/build/X)
              emulator up|down         start/stop the moto server with a sample environment
              diagnose --instance-id ID [--stack NAME] [--region R] [--format text|json|markdown]
              check                    run a drift check now (DriftCheckFunction's manual action)
              history                  list the ledger's remediation attempts
              retry [--revision SHA]   retry a revision that is not redeployed automatically (a bad release, or
                                       one that gave up after its transient failures), then check""";
}
