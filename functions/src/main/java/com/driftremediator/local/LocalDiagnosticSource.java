package com.driftremediator.local;

import com.driftremediator.domain.DesiredRevision;
import com.driftremediator.domain.DiagnosticSource;
import com.driftremediator.domain.InstanceFacts;
import com.driftremediator.domain.Target;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Diagnoses a sandbox instance: facts the sandbox knows (launch time, UserData, stack update time, desired revision)
 * plus the real DiagnoseDocument script run against the sandbox's directories with its {@code systemctl} stand-in.
 */
public final class LocalDiagnosticSource implements DiagnosticSource {

    /**
     * One sandbox instance.
     *
     * @param userData       the UserData text as provisioned (plain script, cloud-config or MIME), null for none
     * @param pathFirst      directory holding the {@code systemctl} stand-in
     * @param versionUrl     where the app reports its revision, or null
     * @param stackUpdatedAt when the sandbox "stack" was last updated, or null
     * @param desired        what the sandbox "stack" says should run, and which source said so; or null
     */
    public record Instance(Target target, Instant launchTime, String userData, Path appDirectory, String serviceName,
                           Path cloudInitLog, Path pathFirst, String versionUrl, String stack, Instant stackUpdatedAt,
                           DesiredRevision desired) {
    }

    private final Instance instance;
    private final DiagnoseScript script;

    public LocalDiagnosticSource(Instance instance, DiagnoseScript script) {
        this.instance = instance;
        this.script = script;
    }

    @Override
    public InstanceFacts instance(Target target) {
        if (!target.equals(instance.target())) return InstanceFacts.notFound(target);
        String userData = instance.userData() == null ? null
                : Base64.getEncoder().encodeToString(instance.userData().getBytes(StandardCharsets.UTF_8));
        return new InstanceFacts(target, "running", instance.launchTime(), "sandbox", Map.of(), userData,
                new InstanceFacts.Ssm(true, "Online", "sandbox", Instant.now()));
    }

    @Override
    public List<Target> instancesOf(String stack) {
        return stack.equals(instance.stack()) ? List.of(instance.target()) : List.of();
    }

    @Override
    public Optional<Instant> stackUpdatedAt(String stack) {
        return stack.equals(instance.stack()) ? Optional.ofNullable(instance.stackUpdatedAt()) : Optional.empty();
    }

    @Override
    public Optional<DesiredRevision> desired(String stack) {
        return stack.equals(instance.stack()) ? Optional.ofNullable(instance.desired()) : Optional.empty();
    }

    @Override
    public HostRun runOnHost(Target target) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("AppDirectory", instance.appDirectory().toString());
        params.put("ServiceName", instance.serviceName());
        params.put("CloudInitLog", instance.cloudInitLog().toString());
        if (instance.versionUrl() != null) params.put("VersionUrl", instance.versionUrl());
        try {
            return HostRun.output(script.run(params, instance.pathFirst()));
        } catch (IllegalStateException e) {
            return HostRun.failed(e.getMessage());
        }
    }
}
