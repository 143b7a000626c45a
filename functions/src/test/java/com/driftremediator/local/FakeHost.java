package com.driftremediator.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An "instance" as a directory tree for running DiagnoseDocument for real: an app directory (git checkout or
 * release layout), a cloud-init log, and a {@code systemctl} stand-in that answers {@code show -p} and {@code cat}
 * in systemd's format from files beside it.
 */
public final class FakeHost {
    static final String UNIT = "streamr-app";
    private static final DateTimeFormatter SYSTEMD =
            DateTimeFormatter.ofPattern("EEE yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final String STAND_IN = """
            #!/bin/sh
            # systemctl stand-in: `show -p ... UNIT` and `cat UNIT` from files next to this script.
            dir=$(dirname "$0")
            cmd=$1
            shift
            unit=
            for a in "$@"; do unit=$a; done
            unit=${unit%.service}
            case "$cmd" in
              show)
                if [ -f "$dir/$unit.show" ]; then cat "$dir/$unit.show"
                else printf 'LoadState=not-found\\nActiveState=inactive\\nSubState=dead\\nActiveEnterTimestamp=\\nExecStart=\\nWorkingDirectory=\\nFragmentPath=\\nMainPID=0\\n'
                fi ;;
              cat)
                if [ -f "$dir/$unit.service" ]; then printf '# /etc/systemd/system/%s.service\\n' "$unit"; cat "$dir/$unit.service"
                else echo "No files found for $unit.service." >&2; exit 1
                fi ;;
              *) exit 1 ;;
            esac
            """;

    public final Path root;
    public final Path app;
    public final Path log;
    public final Path bin;

    public FakeHost(Path root) throws IOException {
        this.root = root;
        this.app = root.resolve("home/ec2-user/app");
        this.log = root.resolve("var/log/cloud-init-output.log");
        this.bin = root.resolve("bin");
        Files.createDirectories(app.getParent());
        Files.createDirectories(log.getParent());
        Files.createDirectories(bin);
        Path systemctl = bin.resolve("systemctl");
        Files.writeString(systemctl, STAND_IN);
        Files.setPosixFilePermissions(systemctl, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** A plain checkout with one commit; returns its SHA. */
    public String gitCheckout() throws IOException {
        Files.createDirectories(app);
        Files.writeString(app.resolve("app.py"), "print('streams')\n");
        sh(app, "git", "init", "-q");
        sh(app, "git", "add", ".");
        sh(app, "git", "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "first");
        return sh(app, "git", "rev-parse", "HEAD").strip();
    }

    /** The redeploy layout: app -> app.releases/current -> releases/SHA (with REVISION), the link switched at {@code at}. */
    public void release(String sha, Instant switchedAt) throws IOException {
        Path releases = Path.of(app + ".releases");
        Path dir = releases.resolve("releases").resolve(sha);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("REVISION"), sha + "\n");
        Path current = releases.resolve("current");
        Files.deleteIfExists(current);
        Files.createSymbolicLink(current, dir);
        if (!Files.isSymbolicLink(app)) Files.createSymbolicLink(app, current);
        sh(root, "touch", "-h", "-d", "@" + switchedAt.getEpochSecond(), current.toString());
    }

    /** systemd's answers for the unit; {@code startedAt} null leaves ActiveEnterTimestamp empty. */
    public void unit(String activeState, Instant startedAt) throws IOException {
        String props = String.join("\n", List.of(
                "LoadState=loaded",
                "ActiveState=" + activeState,
                "SubState=" + ("active".equals(activeState) ? "running" : "dead"),
                "ActiveEnterTimestamp=" + (startedAt == null ? "" : SYSTEMD.format(startedAt)),
                "ExecStart={ path=/home/ec2-user/app/.venv/bin/uvicorn ; argv[]=/home/ec2-user/app/.venv/bin/uvicorn app:app --port 8000 ; ignore_errors=no ; start_time=[n/a] ; stop_time=[n/a] ; pid=0 ; code=(null) ; status=0/0 }",
                "WorkingDirectory=/home/ec2-user/app",
                "FragmentPath=/etc/systemd/system/" + UNIT + ".service",
                "MainPID=0")) + "\n";
        Files.writeString(bin.resolve(UNIT + ".show"), props);
        Files.writeString(bin.resolve(UNIT + ".service"), """
                [Unit]
                Description=streamr app
                [Service]
                User=ec2-user
                WorkingDirectory=/home/ec2-user/app
                ExecStart=/home/ec2-user/app/.venv/bin/uvicorn app:app --port 8000
                Restart=always
                [Install]
                WantedBy=multi-user.target
                """);
    }

    public void cloudInitLog(String text) throws IOException {
        Files.writeString(log, text);
    }

    /** A first boot that went well: the UserData script cloned the app and started the unit. */
    public static String finishedLog() {
        return """
                Cloud-init v. 22.2.2 running 'modules:final' at Fri, 20 Nov 2026 09:11:50 +0000. Up 20.31 seconds.
                + git clone https://github.com/example/streamr-p2p.git /home/ec2-user/app
                Cloning into '/home/ec2-user/app'...
                + systemctl enable --now streamr-app
                Created symlink /etc/systemd/system/multi-user.target.wants/streamr-app.service.
                Cloud-init v. 22.2.2 finished at Fri, 20 Nov 2026 09:12:04 +0000. Datasource DataSourceEc2.  Up 34.10 seconds
                """;
    }

    /** A first boot whose UserData script failed (pip could not install the requirements). */
    public static String failedLog() {
        return """
                Cloud-init v. 22.2.2 running 'modules:final' at Fri, 20 Nov 2026 09:11:50 +0000. Up 20.31 seconds.
                + pip3 install -r /home/ec2-user/app/requirements.txt
                ERROR: Could not find a version that satisfies the requirement fastapi==0.999 (from versions: none)
                2026-11-20 09:12:01,101 - cc_scripts_user.py[WARNING]: Failed to run module scripts_user (scripts in /var/lib/cloud/instance/scripts)
                2026-11-20 09:12:01,102 - util.py[WARNING]: Running module scripts_user (<module 'cloudinit.config.cc_scripts_user'>) failed
                Cloud-init v. 22.2.2 finished at Fri, 20 Nov 2026 09:12:04 +0000. Datasource DataSourceEc2.  Up 34.10 seconds
                """;
    }

    /** DiagnoseDocument's parameters for this tree. */
    public Map<String, String> parameters() {
        return Map.of("AppDirectory", app.toString(), "ServiceName", UNIT, "CloudInitLog", log.toString(),
                "TailLines", "20");
    }

    static String sh(Path dir, String... command) throws IOException {
        try {
            Process p = new ProcessBuilder(new ArrayList<>(List.of(command))).directory(dir.toFile())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) throw new IOException(String.join(" ", command) + " failed: " + out);
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
