package com.driftremediator.domain;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One remediation attempt as the ledger keeps it. */
public record Attempt(String environment, Revision revision, AttemptState state, String commandId,
                      List<String> instances, Revision previous, String reason, Instant createdAt, Instant updatedAt,
                      Map<String, Outcome> results) {
    public Attempt {
        instances = instances == null ? List.of() : List.copyOf(instances);
        results = results == null ? Map.of() : Map.copyOf(results);
    }

    public Attempt(String environment, Revision revision, AttemptState state, String commandId, List<String> instances,
                   Revision previous, String reason, Instant createdAt, Instant updatedAt) {
        this(environment, revision, state, commandId, instances, previous, reason, createdAt, updatedAt, Map.of());
    }

    /** Every target has reported. */
    public boolean complete() {
        return results.keySet().containsAll(instances);
    }

    /** The attempt's final state: the worst of its targets' outcomes. */
    public AttemptState finalState() {
        AttemptState worst = AttemptState.SUCCEEDED;
        for (Outcome o : results.values()) {
            AttemptState s = o.ledgerState();
            if (s == AttemptState.FAILED) return s;
            if (s == AttemptState.ROLLED_BACK || s == AttemptState.TIMED_OUT) worst = s;
        }
        return worst;
    }

    public Attempt moveTo(AttemptState next, String why, Instant at) {
        if (!state.canMoveTo(next)) {
            throw new IllegalStateException(state + " cannot move to " + next);
        }
        return new Attempt(environment, revision, next, commandId, instances, previous, why, createdAt, at, results);
    }

    public Attempt withCommand(String id, Instant at) {
        return new Attempt(environment, revision, state, id, instances, previous, reason, createdAt, at, results);
    }
}
