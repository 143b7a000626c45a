package com.driftremediator.domain;

import java.util.ArrayList;
import java.util.List;

/** Sync status and health are separate axes (as in Argo CD); reasons say why a target is out of sync. */
public record Verdict(Sync sync, Health health, List<Reason> reasons, String explanation) {

    public enum Sync { SYNCED, OUT_OF_SYNC, UNKNOWN }

    public enum Health { HEALTHY, DEGRADED, UNREACHABLE, UNKNOWN }

    public enum Reason {
        /** The app directory holds another revision. */
        CODE_STALE,
        /** The code on disk is right, but the process started before it was switched in. */
        PROCESS_STALE,
        /** The process reports another revision than the desired one. */
        SERVED_STALE
    }

    public Verdict {
        reasons = List.copyOf(reasons);
    }

    public static Verdict of(Revision desired, Observation o) {
        if (!o.reachable()) {
            return new Verdict(Sync.UNKNOWN, Health.UNREACHABLE, List.of(), "unreachable: " + o.reachability().cause());
        }
        Health health = o.healthy() == null ? Health.UNKNOWN : o.healthy() ? Health.HEALTHY : Health.DEGRADED;
        List<Reason> reasons = new ArrayList<>();
        List<String> words = new ArrayList<>();
        if (o.onDisk() != null && !o.onDisk().equals(desired)) {
            reasons.add(Reason.CODE_STALE);
            words.add("app directory at " + o.onDisk().shortSha() + ", desired " + desired.shortSha());
        }
        if (o.onDisk() != null && o.onDisk().equals(desired) && o.serviceStartedAt() != null
                && o.releaseSwitchedAt() != null && o.serviceStartedAt().isBefore(o.releaseSwitchedAt())) {
            reasons.add(Reason.PROCESS_STALE);
            words.add("service started " + o.serviceStartedAt() + ", before the release was switched in at "
                    + o.releaseSwitchedAt());
        }
        if (o.served() != null && !o.served().equals(desired)) {
            reasons.add(Reason.SERVED_STALE);
            words.add("serving " + o.served().shortSha());
        }
        if (!reasons.isEmpty()) {
            return new Verdict(Sync.OUT_OF_SYNC, health, reasons, String.join("; ", words));
        }
        if (o.onDisk() == null && o.served() == null) {
            return new Verdict(Sync.UNKNOWN, health, List.of(), "revision could not be observed");
        }
        return new Verdict(Sync.SYNCED, health, List.of(), "running " + desired.shortSha());
    }

    public boolean outOfSync() {
        return sync == Sync.OUT_OF_SYNC;
    }
}
