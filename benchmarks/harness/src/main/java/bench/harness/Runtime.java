package bench.harness;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How the Lambda java runtime starts the JVM: which JDK stands in for the managed runtime, the runtime's own flags
 * (what Lambda passes on the command line for java17/21/25: C1 only, serial GC, default CDS), and the function's
 * JAVA_TOOL_OPTIONS. {@code archive} is an application class-data archive or AOT cache built by a training run.
 * {@code cpus} pins the JVM to those CPUs ({@code taskset -c}); null: every CPU of the machine. {@code snapStart}:
 * initialized as Lambda does for a SnapStart snapshot (init type snap-start, container credentials, the runtime's
 * checkpoint hooks and its call to {@code restore/next}).
 */
record Runtime(String label, Path javaHome, boolean c1Only, String toolOptions, Archive archive, String cpus,
               boolean snapStart) {
    enum Archive { NONE, APP_CDS, AOT_CACHE }

    Runtime(String label, Path javaHome, boolean c1Only, String toolOptions, Archive archive) {
        this(label, javaHome, c1Only, toolOptions, archive, null, false);
    }

    Runtime(String label, Path javaHome, boolean c1Only, String toolOptions, Archive archive, String cpus) {
        this(label, javaHome, c1Only, toolOptions, archive, cpus, false);
    }

    List<String> jvmFlags(Path archiveFile, boolean training) {
        List<String> flags = new ArrayList<>(List.of("-XX:+UseSerialGC", "-XX:MaxHeapSize=870m",
                "-Djava.net.preferIPv4Stack=true",
                // as the runtime passes it: org.crac hooks reach the runtime interface client's implementation
                "-Dorg.crac.Core.Compat=com.amazonaws.services.lambda.crac"));
        if (archive != Archive.AOT_CACHE) flags.add("-Xshare:auto"); // the AOT flags refuse any -Xshare
        if (c1Only) flags.addAll(List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1"));
        switch (archive) {
            case APP_CDS -> flags.add((training ? "-XX:ArchiveClassesAtExit=" : "-XX:SharedArchiveFile=") + archiveFile);
            case AOT_CACHE -> flags.add((training ? "-XX:AOTCacheOutput=" : "-XX:AOTCache=") + archiveFile);
            case NONE -> { }
        }
        return flags;
    }

    Path java() {
        return javaHome.resolve("bin/java");
    }
}
