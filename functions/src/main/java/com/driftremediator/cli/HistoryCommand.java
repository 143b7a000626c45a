package com.driftremediator.cli;

/** Not built yet: see the open issues. */
final class HistoryCommand {
    private HistoryCommand() {
    }

    static int run(String[] args) {
        System.err.println("remediator: this command is not built yet");
        return 3;
    }
}
