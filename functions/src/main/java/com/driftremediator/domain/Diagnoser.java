package com.driftremediator.domain;

import java.time.Instant;
import java.util.List;

/**
 * The Diagnose use case: gathers the facts in order (cloud first; the instance only when it can answer) and
 * applies {@link Diagnosis#of}. Never throws for an instance that cannot be diagnosed: that is a verdict too.
 */
public final class Diagnoser implements FailureDiagnosis {
    /** CloudFormation tags every instance it creates with its stack's name. */
    static final String STACK_TAG = "aws:cloudformation:stack-name";
    private final DiagnosticSource source;
    private final String defaultStack;

    /** @param defaultStack the stack used when neither the caller nor the instance's tags name one; may be null */
    public Diagnoser(DiagnosticSource source, String defaultStack) {
        this.source = source;
        this.defaultStack = defaultStack;
    }

    /**
     * @param stack   the app stack, for its last update time and desired revision; null: the instance's stack tag
     * @param desired overrides the stack's desired revision; may be null
     */
    public Diagnosis diagnose(Target target, String stack, Revision desired) {
        InstanceFacts instance = source.instance(target);
        if (stack == null) stack = instance.tags().getOrDefault(STACK_TAG, defaultStack);
        Instant stackUpdated = stack == null ? null : source.stackUpdatedAt(stack).orElse(null);
        DesiredRevision wanted = desired != null ? new DesiredRevision(desired, null, null)
                : stack == null ? null : source.desired(stack).orElse(null);
        UserData userData = UserData.decode(instance.userDataBase64());
        HostFacts host = null;
        String problem = null;
        if (instance.running() && instance.ssm().online()) {
            DiagnosticSource.HostRun run = source.runOnHost(target);
            problem = run.problem();
            if (run.stdout() != null) {
                try {
                    host = HostFacts.parse(run.stdout());
                } catch (IllegalArgumentException e) {
                    problem = e.getMessage();
                }
            }
        }
        return Diagnosis.of(new Diagnosis.Facts(instance, stack, stackUpdated, wanted, userData, host, problem));
    }

    /** Every instance of the stack. */
    public List<Diagnosis> diagnoseStack(String stack, Revision desired) {
        return source.instancesOf(stack).stream().map(t -> diagnose(t, stack, desired)).toList();
    }

    /**
     * For a failure report ({@link Report#diagnosis()}): one line per instance, "i-...: VERDICT: explanation".
     * Never throws: a remediation report goes out even when the diagnosis cannot be made.
     */
    @Override
    public String summarize(List<String> instanceIds, String stack, Revision desired) {
        StringBuilder b = new StringBuilder();
        for (String id : instanceIds) {
            if (b.length() > 0) b.append('\n');
            b.append(id).append(": ");
            try {
                b.append(diagnose(new Target(id), stack, desired).summary());
            } catch (RuntimeException e) {
                b.append("no diagnosis (").append(e.getMessage()).append(')');
            }
        }
        return b.toString();
    }
}
