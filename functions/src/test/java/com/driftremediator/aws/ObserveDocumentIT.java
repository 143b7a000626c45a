package com.driftremediator.aws;

import com.driftremediator.cli.Template;
import com.driftremediator.json.Json;
import com.driftremediator.testing.ProjectPaths;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** ObserveDocument's script, taken from template.yaml: shellcheck-clean, and run for real with sh as the agent would. */
class ObserveDocumentIT {
    private static final String SHA = "194af44c0d5e3b2a1f0e9d8c7b6a5f4e3d2c1b0a";

    @TempDir
    Path dir;

    @Test
    void theScriptIsPosixShAndShellcheckClean() throws Exception {
        Path script = writeScript();
        Process p = new ProcessBuilder(ProjectPaths.venvTool("shellcheck").toString(), "--shell=sh", script.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
    }

    @Test
    void reportsTheReleaseOnDiskWhenItWasSwitchedTheServiceStartAndHealth() throws Exception {
        Path app = dir.resolve("app");
        Files.createDirectories(app.resolve("releases").resolve(SHA));
        Files.writeString(app.resolve("releases").resolve(SHA).resolve("REVISION"), SHA + "\n");
        Files.createSymbolicLink(app.resolve("current"), Path.of("releases", SHA));
        Path bin = Files.createDirectories(dir.resolve("bin"));
        // a systemctl stand-in: the service started at a known time
        Path systemctl = bin.resolve("systemctl");
        Files.writeString(systemctl, "#!/bin/sh\necho 'Thu 2026-11-26 14:05:00 UTC'\n");
        Files.setPosixFilePermissions(systemctl, PosixFilePermissions.fromString("rwxr-xr-x"));
        HttpServer health = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        health.createContext("/health", x -> {
            x.sendResponseHeaders(200, 2);
            x.getResponseBody().write("ok".getBytes());
            x.close();
        });
        health.start();
        try {
            Json.Value line = run(Map.of("SSM_AppDirectory", app.toString(), "SSM_ServiceName", "streamr-app",
                    "SSM_HealthUrl", "http://127.0.0.1:" + health.getAddress().getPort() + "/health",
                    "PATH", bin + ":" + System.getenv("PATH")));

            assertThat(line.path("onDisk").asText(null)).isEqualTo(SHA);
            assertThat(line.path("releaseSwitchedEpoch").longValue())
                    .isCloseTo(Files.readAttributes(app.resolve("current"), java.nio.file.attribute.BasicFileAttributes.class,
                            java.nio.file.LinkOption.NOFOLLOW_LINKS).lastModifiedTime().toInstant().getEpochSecond(),
                            org.assertj.core.data.Offset.offset(1L));
            assertThat(line.path("serviceStartedEpoch").longValue()).isEqualTo(Instant.parse("2026-11-26T14:05:00Z").getEpochSecond());
            assertThat(line.path("healthy").asBoolean(false)).isTrue();
        } finally {
            health.stop(0);
        }
    }

    @Test
    void aPlainCheckoutFromUserDataIsReadWithGitAndNothingIsChanged() throws Exception {
        Path app = Files.createDirectories(dir.resolve("app"));
        git(app, "init", "-q");
        Files.writeString(app.resolve("main.py"), "print('hi')\n");
        git(app, "add", "main.py");
        git(app, "-c", "user.email=a@b", "-c", "user.name=a", "commit", "-qm", "boot");
        String head = git(app, "rev-parse", "HEAD").strip();
        Files.setLastModifiedTime(app.resolve(".git").resolve("HEAD"), FileTime.from(Instant.parse("2026-11-20T09:12:00Z")));

        Json.Value line = run(Map.of("SSM_AppDirectory", app.toString(), "SSM_ServiceName", "streamr-app",
                "SSM_HealthUrl", "http://127.0.0.1:9/health"));

        assertThat(line.path("onDisk").asText(null)).isEqualTo(head);
        assertThat(line.path("releaseSwitchedEpoch").longValue()).isEqualTo(Instant.parse("2026-11-20T09:12:00Z").getEpochSecond());
        assertThat(line.path("healthy").asBoolean(true)).isFalse();
        assertThat(git(app, "status", "--porcelain")).isEmpty();
    }

    @Test
    void anEmptyDirectoryGivesAnEmptyRevisionThatTheFleetReadsAsUnknown() throws Exception {
        Json.Value line = run(Map.of("SSM_AppDirectory", dir.toString(), "SSM_ServiceName", "streamr-app",
                "SSM_HealthUrl", "http://127.0.0.1:9/health"));

        assertThat(line.path("onDisk").asText(null)).isEmpty();
        assertThat(line.path("releaseSwitchedEpoch").longValue()).isZero();
    }

    private Json.Value run(Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("sh", writeScript().toString());
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(p.getErrorStream().readAllBytes())).isZero();
        assertThat(out.lines().toList()).as("one JSON line").hasSize(1);
        return SsmFleet.lastJsonLine(out);
    }

    private Path writeScript() throws IOException {
        Map<String, Object> content = Template.read(ProjectPaths.root().resolve("template.yaml"))
                .properties("ObserveDocument");
        Map<?, ?> doc = (Map<?, ?>) content.get("Content");
        Map<?, ?> step = (Map<?, ?>) ((List<?>) doc.get("mainSteps")).get(0);
        List<?> lines = (List<?>) ((Map<?, ?>) step.get("inputs")).get("runCommand");
        Path script = dir.resolve("observe.sh");
        Files.writeString(script, String.join("\n", lines.stream().map(String::valueOf).toList()));
        return script;
    }

    private static String git(Path repo, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("git", "-C", repo.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        return out;
    }
}
