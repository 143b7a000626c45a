package com.driftremediator.domain;

import java.util.List;

/** Port: runs RedeployDocument on targets. Returns the command id; the result arrives later. */
public interface CommandRunner {
    String sendRedeploy(Revision revision, List<Target> targets);

    /** The finished invocation on one target: SSM status and the (possibly truncated) output. */
    CommandResult result(String commandId, Target target);

    /** {@code revision} is the one the command was sent for (from its parameters). */
    record CommandResult(Revision revision, String status, String statusDetails, String stdout, String stderr) {
    }
}
