package com.driftremediator.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** A secret in none of what a run printed, nor in any file under an instance's tree (repo.git/config too). */
final class SecretScan {
    private SecretScan() {
    }

    static void assertNowhere(String secret, LocalCommandRunner.Execution run, Path tree) throws IOException {
        assertThat(run.stdout()).doesNotContain(secret);
        assertThat(run.stderr()).doesNotContain(secret);
        try (Stream<Path> files = Files.walk(tree)) {
            for (Path f : files.filter(Files::isRegularFile).filter(f -> !Files.isSymbolicLink(f)).toList()) {
                assertThat(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1)).as(f.toString()).doesNotContain(secret);
            }
        }
    }
}
