package com.driftremediator.testing;

import com.driftremediator.local.SystemTool;
import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Debian packages a test runs for real (a web server, an SSH server): installed with apt when missing and we are
 * root; otherwise the test is skipped with one line saying what was skipped, or fails when
 * DRIFT_REMEDIATOR_REQUIRE_SYSTEM_PACKAGES is set (.ci/run installs them and sets it).
 */
public final class SystemPackages {
    private SystemPackages() {
    }

    public static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** {@code binary} is there once this returns; {@code what} says in a few words what the test runs with it. */
    public static synchronized void require(String debianPackage, Path binary, String what) {
        if (!root()) skip("skipped: " + what + " needs root (to install " + debianPackage + " and run it as a system does)");
        if (Files.isExecutable(binary)) return;
        if (Files.isExecutable(Path.of("/usr/bin/apt-get"))) {
            try {
                apt("update", "-q");
                apt("install", "-y", "-q", debianPackage);
            } catch (RuntimeException e) {
                System.err.println("apt-get install " + debianPackage + " failed: " + e.getMessage());
            }
            if (Files.isExecutable(binary)) return;
        }
        skip("skipped: " + what + " needs Debian's " + debianPackage + ", which is not installed and apt-get could not install");
    }

    /** Skipped with the reason, or failed where every such test must run (CI). */
    public static void skip(String why) {
        if (System.getenv("DRIFT_REMEDIATOR_REQUIRE_SYSTEM_PACKAGES") != null) throw new IllegalStateException(why);
        System.out.println(why);
        Assumptions.abort(why);
    }

    private static void apt(String... args) {
        List<String> command = new ArrayList<>(List.of("apt-get"));
        command.addAll(List.of(args));
        SystemTool.run(Path.of("/"), Map.of("DEBIAN_FRONTEND", "noninteractive"), Duration.ofMinutes(10), command);
    }
}
