package com.driftremediator.local;

import com.driftremediator.domain.Fleet;
import com.driftremediator.domain.Observation;
import com.driftremediator.domain.Revision;
import com.driftremediator.domain.Target;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The sandbox instance as the Fleet port sees it: the revision on disk (REVISION of the current release,
 * or the HEAD of a plain checkout), the revision served on /version, /health, the service start time
 * from systemctl, and when the current release was switched in (the mtime of the {@code current} link).
 */
public final class LocalFleet implements Fleet {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter SYSTEMD_TIME =
            DateTimeFormatter.ofPattern("EEE yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT);

    private final Sandbox sandbox;

    public LocalFleet(Sandbox sandbox) {
        this.sandbox = sandbox;
    }

    @Override
    public List<Target> targets() {
        return List.of(sandbox.target());
    }

    @Override
    public List<Observation> observeAll(List<Target> targets, Instant deadline) {
        return targets.stream().map(this::observe).toList();
    }

    public Observation observe(Target target) {
        if (!target.equals(sandbox.target())) {
            return Observation.unreachable(target, "not an instance of this sandbox");
        }
        if (!Files.isDirectory(sandbox.root())) {
            return Observation.unreachable(target, "the instance directory " + sandbox.root() + " is gone");
        }
        return new Observation(target, Observation.Reachability.REACHABLE, onDisk(), served(), serviceStartedAt(),
                releaseSwitchedAt(), Probe.status(sandbox.url("/health")) == 200);
    }

    /** The revision in the app directory: REVISION of the release, else the HEAD of a plain checkout. */
    public Revision onDisk() {
        Path app = sandbox.appDirectory();
        try {
            if (Files.isRegularFile(app.resolve("REVISION"))) {
                return Revision.parse(Files.readString(app.resolve("REVISION"))).orElse(null);
            }
        } catch (IOException e) {
            return null;
        }
        if (!Files.isDirectory(app.resolve(".git"))) return null;
        Processes.Result r = Processes.run(new ProcessBuilder("git", "-C", app.toString(), "rev-parse", "HEAD"),
                Duration.ofSeconds(10));
        return r.ok() ? Revision.parse(r.stdout()).orElse(null) : null;
    }

    /** The revision the running process reports on /version; null when it does not answer. */
    public Revision served() {
        return Probe.get(sandbox.url("/version")).filter(r -> r.statusCode() == 200).map(r -> {
            try {
                JsonNode n = JSON.readTree(r.body());
                return Revision.parse(n.path("revision").asText(null)).orElse(null);
            } catch (IOException e) {
                return null;
            }
        }).orElse(null);
    }

    /**
     * When the service last started, from systemctl (whole seconds, as systemd shows it); null when it
     * is not running.
     */
    public Instant serviceStartedAt() {
        Processes.Result r = sandbox.systemctl("show", "-p", "ActiveState,ActiveEnterTimestamp", Sandbox.SERVICE);
        Map<String, String> props = r.stdout().lines().filter(l -> l.contains("="))
                .collect(Collectors.toMap(l -> l.substring(0, l.indexOf('=')), l -> l.substring(l.indexOf('=') + 1),
                        (a, b) -> b));
        if (!"active".equals(props.get("ActiveState"))) return null;
        try {
            return LocalDateTime.parse(props.getOrDefault("ActiveEnterTimestamp", ""), SYSTEMD_TIME)
                    .toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /**
     * When {@code current} last changed, cut to whole seconds like the service start time it is compared
     * with (a restart in the same second as the switch is not "before" it). Null for a plain checkout.
     */
    public Instant releaseSwitchedAt() {
        Path current = sandbox.releases().resolve("current");
        if (!Files.isSymbolicLink(sandbox.appDirectory()) || !Files.isSymbolicLink(current)) return null;
        try {
            return Files.getLastModifiedTime(current, LinkOption.NOFOLLOW_LINKS).toInstant().truncatedTo(ChronoUnit.SECONDS);
        } catch (IOException e) {
            return null;
        }
    }
}
