package com.driftremediator.domain;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Port: where a diagnosis gets its facts (AWS: EC2, CloudFormation, SSM; the sandbox: its directories). */
public interface DiagnosticSource {
    /** EC2's and Systems Manager's view of the instance; {@link InstanceFacts#notFound} when there is none. */
    InstanceFacts instance(Target target);

    /** The instances the stack created. */
    List<Target> instancesOf(String stack);

    /** When the stack last changed; empty when unknown. */
    Optional<Instant> stackUpdatedAt(String stack);

    /** The revision the stack says should run (an output, parameter or tag holding a commit SHA). */
    Optional<DesiredRevision> desired(String stack);

    /** Runs DiagnoseDocument on the instance: its stdout, or why there is none. */
    HostRun runOnHost(Target target);

    record HostRun(String stdout, String problem) {
        public static HostRun output(String stdout) {
            return new HostRun(stdout, null);
        }

        public static HostRun failed(String problem) {
            return new HostRun(null, problem);
        }
    }
}
