package com.driftremediator.template;

import com.driftremediator.testing.ProjectPaths;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** template.yaml as users deploy it: linted by cfn-lint and built by the real SAM CLI. */
class TemplateIT {
    static final Path ROOT = ProjectPaths.root();

    @Test
    void cfnLintFindsNothing() throws Exception {
        Result r = run(List.of(ProjectPaths.venvTool("cfn-lint").toString(), "template.yaml"), 180);
        assertThat(r.exit).as(r.output).isZero();
    }

    @Test
    void samBuildBuildsEveryFunctionWithItsHandlerClass() throws Exception {
        Path buildDir = ROOT.resolve("functions/target/sam-build");
        Result r = run(List.of(ProjectPaths.venvTool("sam").toString(), "build", "--template-file", "template.yaml",
                "--build-dir", buildDir.toString()), 600);
        assertThat(r.exit).as(r.output).isZero();

        String template = Files.readString(ROOT.resolve("template.yaml"));
        Matcher m = Pattern.compile("(?m)^  (\\w+Function):\\n    Type: AWS::Serverless::Function[\\s\\S]*?Handler: (\\S+)")
                .matcher(template);
        int functions = 0;
        while (m.find()) {
            functions++;
            String className = m.group(2).replaceAll("::.*", "").replace('.', '/') + ".class";
            Path built = buildDir.resolve(m.group(1));
            assertThat(built.resolve(className)).as(m.group(1) + " handler " + m.group(2)).exists();
            try (Stream<Path> libs = Files.list(built.resolve("lib"))) {
                assertThat(libs.map(p -> p.getFileName().toString()))
                        .as("no Netty or Apache HTTP client in " + m.group(1))
                        .noneMatch(n -> n.contains("netty") || n.contains("apache-client") || n.contains("httpclient"));
            }
        }
        assertThat(functions).isGreaterThan(0);
    }

    record Result(int exit, String output) {
    }

    static Result run(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
        Path log = Files.createTempFile("template-it", ".log");
        ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("SAM_CLI_TELEMETRY", "0");
        pb.environment().put("PATH", ProjectPaths.venvTool("sam").getParent() + ":" + System.getenv("PATH"));
        Process p = pb.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Result(-1, "timed out: " + Files.readString(log));
        }
        return new Result(p.exitValue(), Files.readString(log));
    }
}
