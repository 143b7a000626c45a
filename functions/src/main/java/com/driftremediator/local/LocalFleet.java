package com.driftremediator.local;

import com.driftremediator.aws.SsmFleet;
import com.driftremediator.domain.Fleet;
import com.driftremediator.domain.Observation;
import com.driftremediator.domain.Target;

import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The sandbox instance as the Fleet port sees it, observed as SsmFleet observes an EC2 instance: ObserveDocument
 * run by the instance's agent, its JSON line read by SsmFleet's own parser, and the revision the app serves on
 * /version. What is on the instance is read by the document alone.
 */
public final class LocalFleet implements Fleet {
    private final Sandbox sandbox;
    private final SsmDocument document;

    /** {@code observeDocument} is ObserveDocument, as template.yaml defines it. */
    public LocalFleet(Sandbox sandbox, SsmDocument observeDocument) {
        this.sandbox = sandbox;
        this.document = observeDocument;
    }

    @Override
    public List<Target> targets() {
        return List.of(sandbox.target());
    }

    @Override
    public List<Observation> observeAll(List<Target> targets, Instant deadline) {
        return targets.stream().map(this::observe).toList();
    }

    public Observation observe(Target target) {
        if (!target.equals(sandbox.target())) {
            return Observation.unreachable(target, "not an instance of this sandbox");
        }
        if (!Files.isDirectory(sandbox.root())) {
            return Observation.unreachable(target, "the instance directory " + sandbox.root() + " is gone");
        }
        Agent.Invocation observed = new Agent(sandbox).run("observe-" + UUID.randomUUID(), document,
                document.resolve(sandbox.observeParameters()));
        return SsmFleet.observation(target, observed.succeeded() ? observed.stdout() : null, sandbox.served());
    }
}
