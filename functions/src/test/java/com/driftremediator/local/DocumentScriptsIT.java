package com.driftremediator.local;

import com.driftremediator.cli.Template;
import com.driftremediator.testing.ProjectPaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Every aws:runShellScript step of every SSM document in template.yaml is POSIX sh and clean for shellcheck. */
class DocumentScriptsIT {
    private static final Path TEMPLATE = ProjectPaths.root().resolve("template.yaml");

    @TempDir
    Path dir;

    @Test
    void everyStepOfEveryDocumentPassesShellcheckAsPosixSh() throws Exception {
        List<String> documents = Template.read(TEMPLATE).resources().entrySet().stream()
                .filter(r -> "AWS::SSM::Document".equals(((Map<?, ?>) r.getValue()).get("Type")))
                .map(Map.Entry::getKey).sorted().toList();
        assertThat(documents).containsExactly("DiagnoseDocument", "ObserveDocument", "RedeployDocument");

        for (String name : documents) {
            for (SsmDocument.Step step : SsmDocument.fromTemplate(TEMPLATE, name).steps()) {
                Path script = Files.writeString(dir.resolve(name + "-" + step.name() + ".sh"), step.script());
                Processes.Result r = Processes.run(new ProcessBuilder(ProjectPaths.venvTool("shellcheck").toString(),
                        "-s", "sh", script.toString()), Duration.ofMinutes(1));
                assertThat(r.stdout() + r.stderr()).as(name + " " + step.name()).isEmpty();
                assertThat(r.exitCode()).as(name + " " + step.name()).isZero();
            }
        }
    }
}
