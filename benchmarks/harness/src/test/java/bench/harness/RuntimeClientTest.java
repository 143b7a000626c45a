package bench.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The floor handler in a fresh JVM through AWS's runtime interface client (the runtime module's jars), as every
 * sample of the benchmark runs: what a sample measures is a real start and a real answer.
 */
class RuntimeClientTest {
    private static final Path RUNTIME_LIB = Path.of("../runtime/target/lib").toAbsolutePath().normalize();
    private static final Path FLOOR = Path.of("../floor/target/classes").toAbsolutePath().normalize();
    private static final Path JAVA_HOME = Path.of(System.getProperty("java.home"));

    @TempDir
    Path logs;

    @Test
    void aColdSampleTimesInitThenTheAnswer() throws Exception {
        Bench.Config floor = new Bench.Config("floor", floor(),
                new Runtime("test", JAVA_HOME, true, "", Runtime.Archive.NONE));

        Bench.Sample sample = Bench.coldSample(launcher(), floor, logs);

        assertThat(sample.initMs()).isPositive();
        assertThat(sample.totalMs()).isGreaterThan(sample.initMs()).isLessThan(60_000);
        assertThat(sample.cpuMs()).isPositive();
    }

    @Test
    void underSnapStartTheInvocationWaitsForTheRestore() throws Exception {
        Runtime snapStart = new Runtime("test", JAVA_HOME, true, "", Runtime.Archive.NONE, null, true);
        try (RuntimeApi api = new RuntimeApi()) {
            RuntimeApi.Invocation invocation = api.submit("{}");
            Process p = launcher().start(floor(), snapStart, null, false, api, FLOOR, Map.of());
            try {
                api.checkpoint().get(60, TimeUnit.SECONDS);
                Thread.sleep(300);
                assertThat(invocation.done).as("answered before the restore").isNotDone();

                api.restore();

                assertThat(Launcher.await(invocation, p, floor(), logs).body()).isEqualTo("{\"ok\":true}");
            } finally {
                Launcher.stop(p);
            }
        }
    }

    private Launcher launcher() {
        assertThat(RUNTIME_LIB).as("build benchmarks/ as a whole: the runtime module copies the RIC there")
                .isDirectoryContaining(f -> f.getFileName().toString().startsWith("aws-lambda-java-runtime-interface-client"));
        assertThat(Files.isDirectory(FLOOR)).as("the floor module's classes").isTrue();
        return new Launcher(RUNTIME_LIB, "http://127.0.0.1:9", List.of(), logs);
    }

    private static Subject floor() {
        return new Subject("Floor", FLOOR, "bench.floor.FloorHandler::handleRequest", Map.of(), () -> "{}", () -> { });
    }
}
