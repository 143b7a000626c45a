package com.driftremediator.domain;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

import com.driftremediator.domain.Diagnosis.Verdict;

/** The rules behind {@link Diagnosis#of}: first the cloud's view, then setup, then the service, then revisions. */
final class DiagnosisRules {
    /** A service that started this soon after launch was started by the first boot. */
    static final Duration BOOT_WINDOW = Duration.ofMinutes(30);
    /** A release switched in this long after the process started means the process runs older code. */
    private static final Duration CLOCK_SLACK = Duration.ofSeconds(2);
    private static final DateTimeFormatter MINUTES =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm'Z'").withZone(ZoneOffset.UTC);

    private DiagnosisRules() {
    }

    static Diagnosis judge(Diagnosis.Facts f) {
        InstanceFacts i = f.instance();
        Target t = i.target();
        if (!i.found()) {
            return new Diagnosis(t, Verdict.NOT_RUNNING, "instance " + t + " was not found: it was terminated some "
                    + "time ago, or it lives in another region or account.", f);
        }
        if (!i.running()) {
            String what = switch (i.state()) {
                case "stopped", "stopping" -> "start it, or let the stack replace it; nothing serves from it meanwhile.";
                case "terminated", "shutting-down" -> "it is gone; the stack or its Auto Scaling group should have replaced it.";
                default -> "wait until it is running, then diagnose again.";
            };
            return new Diagnosis(t, Verdict.NOT_RUNNING, "instance is " + i.state() + launched(i) + ": " + what, f);
        }
        if (!i.ssm().online()) {
            return new Diagnosis(t, Verdict.UNREACHABLE, unreachable(i) + userDataNote(f), f);
        }
        HostFacts h = f.host();
        if (h == null) {
            return new Diagnosis(t, Verdict.UNREACHABLE, "the diagnostic command did not answer: "
                    + (f.hostProblem() == null ? "no output" : f.hostProblem()) + "." + userDataNote(f), f);
        }
        return host(f, h);
    }

    private static Diagnosis host(Diagnosis.Facts f, HostFacts h) {
        Target t = f.instance().target();
        HostFacts.App app = h.app();
        HostFacts.Service svc = h.service();
        HostFacts.CloudInit ci = h.cloudInit();
        List<String> missing = new ArrayList<>();
        if (!app.exists()) missing.add("app directory " + app.directory() + " does not exist");
        if (svc.systemctl() && !svc.found()) {
            missing.add("unit " + svc.unit() + " is not installed (LoadState=" + svc.loadState() + ")");
        }
        boolean setupTrouble = !ci.errors().isEmpty() || (ci.logExists() && !ci.finished());
        if (!missing.isEmpty() || (setupTrouble && !svc.active())) {
            List<String> words = new ArrayList<>(missing);
            if (!svc.active() && svc.found()) words.add("service " + svc.unit() + " is " + svc.activeState());
            words.add(cloudInit(ci));
            return new Diagnosis(t, Verdict.SETUP_FAILED, sentence(words) + userDataNote(f), f);
        }
        if (svc.systemctl() && !svc.active()) {
            return new Diagnosis(t, Verdict.SERVICE_DOWN, "service " + svc.unit() + " is " + svc.activeState()
                    + (svc.subState() == null ? "" : " (" + svc.subState() + ")")
                    + (svc.command() == null ? "" : ", ExecStart " + svc.command())
                    + "; app directory at " + shortOf(app.revision()) + "; " + cloudInit(ci) + ".", f);
        }
        return revisions(f, h);
    }

    private static Diagnosis revisions(Diagnosis.Facts f, HostFacts h) {
        Target t = f.instance().target();
        HostFacts.App app = h.app();
        HostFacts.Service svc = h.service();
        Instant launch = f.instance().launchTime();
        Revision desired = f.desired() == null ? null : f.desired().revision();
        Revision onDisk = app.revision();
        Revision running = svc.served() != null ? svc.served() : svc.processRevision();
        // Installed at boot: changed within the boot window, and not after the stack update (a deploy would be).
        boolean changedAtBoot = app.changedAt() == null || launch == null
                || (!app.changedAt().isAfter(launch.plus(BOOT_WINDOW))
                && (f.stackUpdatedAt() == null || !app.changedAt().isAfter(f.stackUpdatedAt())));
        boolean notRestarted = app.changedAt() != null && svc.startedAt() != null
                && app.changedAt().isAfter(svc.startedAt().plus(CLOCK_SLACK));
        String tail = modified(app) + cloudInitAside(h.cloudInit());

        if (desired != null && onDisk != null && !onDisk.equals(desired)) {
            if (changedAtBoot) {
                return new Diagnosis(t, Verdict.STALE_SINCE_BOOT, started(f, svc) + "; app directory at "
                        + onDisk.shortSha() + ", desired " + desired.shortSha() + desiredFrom(f) + "; "
                        + userDataStory(f) + "." + tail, f);
            }
            return new Diagnosis(t, Verdict.CODE_STALE, "app directory at " + onDisk.shortSha() + ", desired "
                    + desired.shortSha() + desiredFrom(f) + "; it changed at " + at(app.changedAt())
                    + ", after boot: a later deploy left an older revision in place (a rollback or a manual deploy)."
                    + tail, f);
        }
        boolean diskCurrent = desired != null && desired.equals(onDisk);
        if (diskCurrent && running != null && !running.equals(desired)) {
            return new Diagnosis(t, Verdict.CODE_UPDATED_NOT_RESTARTED, "app directory at " + onDisk.shortSha()
                    + " (desired), but the service still runs " + running.shortSha() + "; " + started(f, svc)
                    + ": restart " + svc.unit() + "." + tail, f);
        }
        if ((diskCurrent || desired == null) && notRestarted) {
            return new Diagnosis(t, Verdict.CODE_UPDATED_NOT_RESTARTED, "app directory " + (onDisk == null ? ""
                    : "at " + onDisk.shortSha() + " ") + "changed at " + at(app.changedAt()) + ", after the service "
                    + "started at " + at(svc.startedAt()) + ": the process still runs the code it loaded before; restart "
                    + svc.unit() + "." + tail, f);
        }
        if (diskCurrent && (running == null || running.equals(desired))) {
            return new Diagnosis(t, Verdict.HEALTHY_CURRENT, "running " + desired.shortSha() + desiredFrom(f)
                    + "; " + started(f, svc) + "." + tail, f);
        }
        if (desired == null && f.stackUpdatedAt() != null && svc.startedAt() != null && launch != null
                && changedAtBoot && startedAtBoot(svc, launch) && f.stackUpdatedAt().isAfter(svc.startedAt())) {
            return new Diagnosis(t, Verdict.STALE_SINCE_BOOT, started(f, svc) + "; app directory at "
                    + shortOf(onDisk) + ", unchanged since boot (no desired revision known to compare with); "
                    + userDataStory(f) + "." + tail, f);
        }
        String why = desired == null ? "no desired revision is known to compare with (give --stack or --desired)"
                : "the app directory has no REVISION file and is not a git checkout (layout " + app.layout() + ")";
        return new Diagnosis(t, Verdict.UNKNOWN, why + "; app directory at " + shortOf(onDisk) + "; "
                + started(f, svc) + "." + tail, f);
    }

    private static String unreachable(InstanceFacts i) {
        InstanceFacts.Ssm ssm = i.ssm();
        if (!ssm.managed()) {
            if (i.instanceProfile() == null) {
                return "not managed by Systems Manager: the instance has no instance profile; attach a role with "
                        + "the AmazonSSMManagedInstanceCore policy.";
            }
            return "not managed by Systems Manager: the SSM agent never registered. Likely causes: the role of "
                    + "instance profile " + i.instanceProfile() + " lacks AmazonSSMManagedInstanceCore, the agent is "
                    + "not installed or stopped, or the instance has no route to the SSM endpoints.";
        }
        return "the SSM agent is " + ssm.pingStatus() + (ssm.lastPingAt() == null ? "" : " since " + at(ssm.lastPingAt()))
                + ": the agent stopped or lost its connection (check `systemctl status amazon-ssm-agent`).";
    }

    private static String started(Diagnosis.Facts f, HostFacts.Service svc) {
        if (svc.startedAt() == null) return "service start time unknown";
        Instant launch = f.instance().launchTime();
        StringBuilder b = new StringBuilder("service started ");
        b.append(launch != null && startedAtBoot(svc, launch) ? "at boot " : "").append(at(svc.startedAt()));
        Instant stack = f.stackUpdatedAt();
        if (stack != null && stack.isAfter(svc.startedAt())) {
            b.append(", ").append(human(Duration.between(svc.startedAt(), stack))).append(" before the last stack update (")
                    .append(at(stack)).append(')');
        }
        return b.toString();
    }

    private static boolean startedAtBoot(HostFacts.Service svc, Instant launch) {
        return svc.startedAt() != null && !svc.startedAt().isAfter(launch.plus(BOOT_WINDOW));
    }

    private static String userDataStory(Diagnosis.Facts f) {
        UserData u = f.userData();
        if (!u.present()) return "the instance has no UserData, so the app came from the image, and nothing updates it";
        List<String> updaters = u.updaters();
        if (updaters.isEmpty()) {
            return u.installsApp() ? "UserData installs the app once and nothing updates it"
                    : "UserData runs once at first boot and nothing updates the app";
        }
        return "UserData sets up " + String.join(", ", updaters) + ", but that did not update the app";
    }

    /** For verdicts reached without the host: what UserData would have done. */
    private static String userDataNote(Diagnosis.Facts f) {
        UserData u = f.userData();
        return u.present() ? "" : " The instance has no UserData.";
    }

    private static String cloudInit(HostFacts.CloudInit ci) {
        if (!ci.logExists()) return "cloud-init log " + ci.log() + " is missing (cloud-init never ran, or another log)";
        String last = ci.errors().isEmpty() ? "" : ", last: " + ci.errors().get(ci.errors().size() - 1).strip();
        if (!ci.finished()) {
            return "cloud-init has not finished (no final 'finished at' line)" + (ci.errors().isEmpty() ? ""
                    : " and its log shows " + ci.errors().size() + " error line(s)" + last);
        }
        return ci.errors().isEmpty() ? "cloud-init finished without errors"
                : "cloud-init finished, its log shows " + ci.errors().size() + " error line(s)" + last;
    }

    private static String cloudInitAside(HostFacts.CloudInit ci) {
        if (!ci.logExists()) return " The cloud-init log " + ci.log() + " is missing.";
        return ci.errors().isEmpty() ? "" : " Note: " + cloudInit(ci) + ".";
    }

    private static String modified(HostFacts.App app) {
        int n = app.modifiedFiles().size();
        if (n == 0) return "";
        return " " + n + " file(s) edited in place in the app directory: "
                + String.join(", ", app.modifiedFiles().stream().limit(5).map(String::strip).toList()) + ".";
    }

    private static String desiredFrom(Diagnosis.Facts f) {
        return f.desired() == null || f.desired().origin() == null ? "" : " (" + f.desired().describe() + ")";
    }

    private static String launched(InstanceFacts i) {
        return i.launchTime() == null ? "" : " (launched " + at(i.launchTime()) + ")";
    }

    private static String sentence(List<String> words) {
        String s = String.join("; ", words);
        return Character.toUpperCase(s.charAt(0)) + s.substring(1) + ".";
    }

    private static String shortOf(Revision r) {
        return r == null ? "an unknown revision" : r.shortSha();
    }

    static String at(Instant instant) {
        return MINUTES.format(instant);
    }

    static String human(Duration d) {
        long days = d.toDays();
        if (days >= 1) return days + (days == 1 ? " day" : " days");
        long hours = d.toHours();
        if (hours >= 1) return hours + (hours == 1 ? " hour" : " hours");
        long minutes = d.toMinutes();
        if (minutes >= 1) return minutes + (minutes == 1 ? " minute" : " minutes");
        long seconds = Math.max(1, d.toSeconds());
        return seconds + (seconds == 1 ? " second" : " seconds");
    }
}
