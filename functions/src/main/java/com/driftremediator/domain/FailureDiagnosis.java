package com.driftremediator.domain;

import java.util.List;

/** Port: a short diagnosis of the instances of a failed or rolled-back attempt, for the published report. */
@FunctionalInterface
public interface FailureDiagnosis {
    FailureDiagnosis NONE = (instances, stack, desired) -> null;

    /** Never throws: a report goes out even when no diagnosis can be made. */
    String summarize(List<String> instanceIds, String stack, Revision desired);
}
