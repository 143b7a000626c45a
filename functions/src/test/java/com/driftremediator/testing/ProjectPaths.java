package com.driftremediator.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the repository and its project-local tools (.venv, installed by bin/test) are. */
public final class ProjectPaths {
    private ProjectPaths() {
    }

    public static Path root() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("template.yaml"))) {
            p = p.getParent();
        }
        if (p == null) throw new IllegalStateException("template.yaml not found above " + Path.of("").toAbsolutePath());
        return p;
    }

    /** A tool from the project virtual environment (moto_server, sam, cfn-lint, shellcheck). */
    public static Path venvTool(String name) {
        String venv = System.getenv("DRIFT_VENV");
        Path dir = venv != null ? Path.of(venv) : root().resolve(".venv");
        Path tool = dir.resolve("bin").resolve(name);
        if (!Files.isExecutable(tool)) {
            throw new IllegalStateException(tool + " is missing: run bin/test once (it installs requirements-dev.txt)");
        }
        return tool;
    }
}
