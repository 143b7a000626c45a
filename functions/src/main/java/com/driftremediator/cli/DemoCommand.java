package com.driftremediator.cli;

/** Not built yet: see the open issues. */
final class DemoCommand {
    private DemoCommand() {
    }

    static int run(String[] args) {
        System.err.println("remediator: this command is not built yet");
        return 3;
    }
}
