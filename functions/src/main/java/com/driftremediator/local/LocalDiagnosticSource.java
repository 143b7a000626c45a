package com.driftremediator.local;

import com.driftremediator.domain.DesiredRevision;
import com.driftremediator.domain.DiagnosticSource;
import com.driftremediator.domain.InstanceFacts;
import com.driftremediator.domain.Target;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Diagnoses a sandbox instance as AwsDiagnosticSource diagnoses an EC2 instance: what EC2 and the stack would say
 * (launch time, UserData, last update, desired revision), and DiagnoseDocument run on the instance by its agent.
 */
public final class LocalDiagnosticSource implements DiagnosticSource {
    /** GetCommandInvocation's cut of stdout. */
    private static final int STDOUT_LIMIT = 24_000;

    /** The sandbox's "stack": its name, when it was last updated (or null), what it says should run (or null). */
    public record Stack(String name, Instant updatedAt, DesiredRevision desired) {
    }

    private final Sandbox sandbox;
    private final SsmDocument document;
    private final Stack stack;

    /** {@code diagnoseDocument} is DiagnoseDocument, as template.yaml defines it. */
    public LocalDiagnosticSource(Sandbox sandbox, SsmDocument diagnoseDocument, Stack stack) {
        this.sandbox = sandbox;
        this.document = diagnoseDocument;
        this.stack = stack;
    }

    @Override
    public InstanceFacts instance(Target target) {
        if (!target.equals(sandbox.target())) return InstanceFacts.notFound(target);
        return new InstanceFacts(target, "running", sandbox.launchedAt(), "sandbox", Map.of(), userData(),
                new InstanceFacts.Ssm(true, "Online", "sandbox", Instant.now()));
    }

    /** The UserData cloud-init ran, base64 as EC2's DescribeInstanceAttribute gives it; null before provisioning. */
    private String userData() {
        Path file = sandbox.root().resolve("var/lib/cloud/instance/user-data.txt");
        if (!Files.isRegularFile(file)) return null;
        try {
            return Base64.getEncoder().encodeToString(Files.readString(file).getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    @Override
    public List<Target> instancesOf(String stack) {
        return stack.equals(this.stack.name()) ? List.of(sandbox.target()) : List.of();
    }

    @Override
    public Optional<Instant> stackUpdatedAt(String stack) {
        return stack.equals(this.stack.name()) ? Optional.ofNullable(this.stack.updatedAt()) : Optional.empty();
    }

    @Override
    public Optional<DesiredRevision> desired(String stack) {
        return stack.equals(this.stack.name()) ? Optional.ofNullable(this.stack.desired()) : Optional.empty();
    }

    /** As AwsDiagnosticSource reads GetCommandInvocation: a failed run that printed its facts still gives them. */
    @Override
    public HostRun runOnHost(Target target) {
        String commandId = "diagnose-" + UUID.randomUUID();
        Agent.Invocation run = new Agent(sandbox).run(commandId, document, document.resolve(sandbox.diagnoseParameters()));
        String stdout = run.stdout().length() <= STDOUT_LIMIT ? run.stdout() : run.stdout().substring(0, STDOUT_LIMIT);
        if ((run.succeeded() || "Failed".equals(run.status())) && !stdout.isBlank()) return HostRun.output(stdout);
        return HostRun.failed("command " + commandId + " ended " + run.status() + " (" + run.statusDetails() + ")");
    }
}
