package com.driftremediator.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the repository is (bin/remediator exports DRIFT_REMEDIATOR_HOME) and its project-local tools. */
final class Project {
    private Project() {
    }

    static Path root() {
        String home = System.getenv("DRIFT_REMEDIATOR_HOME");
        if (home != null && Files.exists(Path.of(home, "template.yaml"))) return Path.of(home);
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p.resolve("template.yaml"))) return p;
        }
        throw new Main.UsageException("template.yaml not found: run from the repository or through bin/remediator");
    }

    static Path template() {
        return root().resolve("template.yaml");
    }

    /** The project virtual environment that bin/test installs (DRIFT_VENV overrides it). */
    static Path venv() {
        String venv = System.getenv("DRIFT_VENV");
        return venv != null ? Path.of(venv) : root().resolve(".venv");
    }
}
