package com.driftremediator.local;

import com.driftremediator.aws.SsmFleet;
import com.driftremediator.domain.Observation;
import com.driftremediator.domain.Revision;
import com.driftremediator.domain.Verdict;
import com.driftremediator.testing.ProjectPaths;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ObserveDocument from template.yaml, run by a sandbox instance's agent, its line read by SsmFleet's parser, at the
 * edges of an instance's life (OnInstanceLayoutIT follows it through the releases layout).
 */
class ObserveDocumentIT {
    private static final SsmDocument DOCUMENT =
            SsmDocument.fromTemplate(ProjectPaths.root().resolve("template.yaml"), "ObserveDocument");
    private static final Revision ANY = Revision.of("194af44c0d5e3b2a1f0e9d8c7b6a5f4e3d2c1b0a");

    /** Not @TempDir: its clean-up warns about every venv link to the system python. */
    private Path tmp;
    private Sandbox sandbox;

    @BeforeEach
    void instance() throws IOException {
        tmp = Files.createTempDirectory("observe-it-");
        sandbox = Sandbox.create(tmp.resolve("sandbox"), ProjectPaths.root().resolve("examples/streamr-app"));
    }

    @AfterEach
    void stopProcesses() throws IOException {
        sandbox.close();
        SampleRepository.clear(tmp);
    }

    @Test
    void beforeTheFirstBootNothingIsOnDiskAndTheVerdictIsUnknown() {
        Agent.Invocation run = observe(DOCUMENT.resolve(sandbox.observeParameters()));

        assertThat(run.status()).isEqualTo("Success");
        assertThat(run.stdout()).isEqualTo("{\"onDisk\":\"\",\"releaseSwitchedEpoch\":0,\"serviceStartedEpoch\":0,\"healthy\":false}\n");
        Observation o = SsmFleet.observation(sandbox.target(), run.stdout(), null);
        assertThat(o.onDisk()).isNull();
        assertThat(o.releaseSwitchedAt()).isNull();
        assertThat(o.serviceStartedAt()).isNull();
        assertThat(Verdict.of(ANY, o).sync()).isEqualTo(Verdict.Sync.UNKNOWN);
    }

    @Test
    void aStoppedServiceIsDegradedAndKeepsItsLastStart() {
        Revision v1 = sandbox.repository().revision("v1");
        sandbox.provision(v1);
        Observation running = SsmFleet.observation(sandbox.target(),
                observe(DOCUMENT.resolve(sandbox.observeParameters())).stdout(), null);
        sandbox.systemctl("stop", Sandbox.SERVICE);

        Observation stopped = SsmFleet.observation(sandbox.target(),
                observe(DOCUMENT.resolve(sandbox.observeParameters())).stdout(), null);

        assertThat(stopped.onDisk()).isEqualTo(v1);
        assertThat(stopped.healthy()).isFalse();
        assertThat(stopped.serviceStartedAt()).as("systemd keeps ActiveEnterTimestamp").isEqualTo(running.serviceStartedAt());
        assertThat(Verdict.of(v1, stopped).health()).isEqualTo(Verdict.Health.DEGRADED);
    }

    @Test
    void aMissingParameterFailsTheCommandAndTheFleetObservesNothing() {
        Map<String, String> parameters = new HashMap<>(DOCUMENT.resolve(sandbox.observeParameters()));
        parameters.remove("AppDirectory");

        Agent.Invocation run = observe(parameters);

        assertThat(run.status()).isEqualTo("Failed");
        assertThat(run.stderr()).contains("AppDirectory missing");
        assertThat(Verdict.of(ANY, SsmFleet.observation(sandbox.target(), null, null)).sync())
                .isEqualTo(Verdict.Sync.UNKNOWN);
    }

    private Agent.Invocation observe(Map<String, String> parameters) {
        return new Agent(sandbox).run("observe-" + System.nanoTime(), DOCUMENT, parameters);
    }
}
