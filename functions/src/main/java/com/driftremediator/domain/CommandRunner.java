package com.driftremediator.domain;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Port: runs RedeployDocument. Results arrive later; a command is found again by its attempt's comment. */
public interface CommandRunner {
    /** SendCommand's limit on explicit instance ids: larger fleets go in several batches, never by tag. */
    int MAX_BATCH = 50;

    /** Sends the attempt's revision to one batch (at most {@link #MAX_BATCH} instance ids); returns the command id. */
    String sendRedeploy(Attempt attempt, List<Target> batch);

    /** The invocation on one target; empty when SSM does not know the command or the invocation. */
    Optional<CommandResult> result(String commandId, Target target);

    /** The redeploy commands whose comment names this attempt (sent, but perhaps never recorded). */
    List<SentCommand> sentFor(Attempt attempt);

    /**
     * @param comment   the command's attempt (empty: not sent by drift-remediator for an attempt)
     * @param instances the instance ids the command was sent to
     */
    record CommandResult(Revision revision, Optional<AttemptComment> comment, List<String> instances, String status,
                         String statusDetails, String stdout, String stderr) {
        private static final Set<String> UNFINISHED = Set.of("Pending", "InProgress", "Delayed", "Cancelling");

        public CommandResult {
            comment = comment == null ? Optional.empty() : comment;
            instances = instances == null ? List.of() : List.copyOf(instances);
        }

        public boolean finished() {
            return status != null && !UNFINISHED.contains(status);
        }
    }

    record SentCommand(String commandId, List<String> instances) {
        public SentCommand {
            instances = List.copyOf(instances);
        }
    }
}
