package com.driftremediator.aws.diagnose;

import com.driftremediator.domain.DesiredRevision;
import com.driftremediator.domain.DiagnosticSource;
import com.driftremediator.domain.InstanceFacts;
import com.driftremediator.domain.Revision;
import com.driftremediator.domain.Target;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.StackEvent;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceAttributeName;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.GetCommandInvocationResponse;
import software.amazon.awssdk.services.ssm.model.InstanceInformation;
import software.amazon.awssdk.services.ssm.model.InstanceInformationStringFilter;
import software.amazon.awssdk.services.ssm.model.InvocationDoesNotExistException;
import software.amazon.awssdk.services.ssm.model.SsmException;

/**
 * Diagnosis facts from AWS: EC2 (state, launch time, tags, instance profile, UserData), CloudFormation (last update,
 * desired revision, instances), Systems Manager (agent status; DiagnoseDocument run and its output).
 */
public final class AwsDiagnosticSource implements DiagnosticSource {
    private final Ec2Client ec2;
    private final SsmClient ssm;
    private final CloudFormationClient cloudFormation;
    private final Settings settings;

    /**
     * @param document     the DiagnoseDocument name (the template's physical name)
     * @param versionUrl   where the app reports its revision, or null
     * @param resultWait         how long to wait for the command's result
     * @param pollInterval how often to ask for it
     */
    public record Settings(String document, String appDirectory, String serviceName, String cloudInitLog,
                           String versionUrl, Duration resultWait, Duration pollInterval) {
    }

    public AwsDiagnosticSource(Ec2Client ec2, SsmClient ssm, CloudFormationClient cloudFormation, Settings settings) {
        this.ec2 = ec2;
        this.ssm = ssm;
        this.cloudFormation = cloudFormation;
        this.settings = settings;
    }

    @Override
    public InstanceFacts instance(Target target) {
        Instance i;
        try {
            i = ec2.describeInstances(r -> r.instanceIds(target.instanceId())).reservations().stream()
                    .flatMap(r -> r.instances().stream()).findFirst().orElse(null);
        } catch (Ec2Exception e) {
            if (e.awsErrorDetails() != null && "InvalidInstanceID.NotFound".equals(e.awsErrorDetails().errorCode())) {
                return InstanceFacts.notFound(target);
            }
            throw e;
        }
        if (i == null) return InstanceFacts.notFound(target);
        Map<String, String> tags = new LinkedHashMap<>();
        i.tags().forEach(t -> tags.put(t.key(), t.value()));
        var attribute = ec2.describeInstanceAttribute(r -> r.instanceId(target.instanceId())
                .attribute(InstanceAttributeName.USER_DATA)).userData();
        String userData = attribute == null ? null : attribute.value();
        return new InstanceFacts(target, i.state().nameAsString(), i.launchTime(),
                i.iamInstanceProfile() == null ? null : i.iamInstanceProfile().arn(), tags, userData,
                i.state().name() == InstanceStateName.RUNNING ? agent(target) : InstanceFacts.Ssm.NOT_MANAGED);
    }

    /** The agent's registration; UNKNOWN when Systems Manager cannot say (the moto emulator answers HTTP 500). */
    private InstanceFacts.Ssm agent(Target target) {
        List<InstanceInformation> info;
        try {
            info = ssm.describeInstanceInformation(r -> r.filters(
                    InstanceInformationStringFilter.builder().key("InstanceIds").values(target.instanceId()).build()))
                    .instanceInformationList();
        } catch (SsmException e) {
            if (e.statusCode() >= 500) return InstanceFacts.Ssm.UNKNOWN;
            throw e;
        }
        if (info.isEmpty()) return InstanceFacts.Ssm.NOT_MANAGED;
        InstanceInformation a = info.get(0);
        return new InstanceFacts.Ssm(true, a.pingStatusAsString(), a.agentVersion(), a.lastPingDateTime());
    }

    @Override
    public List<Target> instancesOf(String stack) {
        return cloudFormation.describeStackResources(r -> r.stackName(stack)).stackResources().stream()
                .filter(r -> "AWS::EC2::Instance".equals(r.resourceType()) && Target.isInstanceId(r.physicalResourceId()))
                .map(r -> new Target(r.physicalResourceId())).toList();
    }

    /** LastUpdatedTime, else the newest stack event (moto never sets LastUpdatedTime), else CreationTime. */
    @Override
    public Optional<Instant> stackUpdatedAt(String stack) {
        Optional<Stack> s = describe(stack);
        if (s.isEmpty()) return Optional.empty();
        if (s.get().lastUpdatedTime() != null) return Optional.of(s.get().lastUpdatedTime());
        Optional<Instant> newestEvent = cloudFormation.describeStackEvents(r -> r.stackName(stack)).stackEvents().stream()
                .map(StackEvent::timestamp).filter(java.util.Objects::nonNull).max(Comparator.naturalOrder());
        return newestEvent.or(() -> Optional.ofNullable(s.get().creationTime()));
    }

    /** The first output, then parameter, then tag whose value is a full commit SHA. */
    @Override
    public Optional<DesiredRevision> desired(String stack) {
        Optional<Stack> s = describe(stack);
        if (s.isEmpty()) return Optional.empty();
        for (var o : s.get().outputs()) {
            Optional<Revision> r = Revision.parse(o.outputValue());
            if (r.isPresent()) return Optional.of(new DesiredRevision(r.get(), DesiredRevision.Origin.STACK_OUTPUT, o.outputKey()));
        }
        for (var p : s.get().parameters()) {
            Optional<Revision> r = Revision.parse(p.parameterValue());
            if (r.isPresent()) return Optional.of(new DesiredRevision(r.get(), DesiredRevision.Origin.STACK_PARAMETER, p.parameterKey()));
        }
        for (var t : s.get().tags()) {
            Optional<Revision> r = Revision.parse(t.value());
            if (r.isPresent()) return Optional.of(new DesiredRevision(r.get(), DesiredRevision.Origin.STACK_TAG, t.key()));
        }
        return Optional.empty();
    }

    private Optional<Stack> describe(String stack) {
        try {
            return cloudFormation.describeStacks(r -> r.stackName(stack)).stacks().stream().findFirst();
        } catch (software.amazon.awssdk.services.cloudformation.model.CloudFormationException e) {
            if (e.statusCode() == 400) return Optional.empty(); // "Stack with id X does not exist"
            throw e;
        }
    }

    /** SendCommand of DiagnoseDocument, then GetCommandInvocation until it ends or the wait is over. */
    @Override
    public HostRun runOnHost(Target target) {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        parameters.put("AppDirectory", List.of(settings.appDirectory()));
        parameters.put("ServiceName", List.of(settings.serviceName()));
        parameters.put("CloudInitLog", List.of(settings.cloudInitLog()));
        if (settings.versionUrl() != null) parameters.put("VersionUrl", List.of(settings.versionUrl()));
        String commandId;
        try {
            commandId = ssm.sendCommand(r -> r.documentName(settings.document()).instanceIds(target.instanceId())
                    .parameters(parameters).timeoutSeconds(30).comment("drift-remediator diagnose (read-only)"))
                    .command().commandId();
        } catch (SsmException e) {
            return HostRun.failed("SendCommand was refused: " + reason(e));
        }
        Instant deadline = Instant.now().plus(settings.resultWait());
        String last = "no result yet";
        while (true) {
            try {
                GetCommandInvocationResponse r = ssm.getCommandInvocation(b -> b.commandId(commandId).instanceId(target.instanceId()));
                String status = r.statusAsString();
                switch (status) {
                    case "Pending", "InProgress", "Delayed", "Cancelling" -> last = "still " + status;
                    case "Success" -> {
                        if (r.standardOutputContent() == null || r.standardOutputContent().isBlank()) {
                            return HostRun.failed("command " + commandId + " succeeded but printed nothing (an "
                                    + "emulator such as moto records commands without running them)");
                        }
                        return HostRun.output(r.standardOutputContent());
                    }
                    default -> {
                        // A failed run may still have printed its facts first.
                        if (r.standardOutputContent() != null && !r.standardOutputContent().isBlank()
                                && "Failed".equals(status)) {
                            return HostRun.output(r.standardOutputContent());
                        }
                        return HostRun.failed("command " + commandId + " ended " + status
                                + (r.statusDetails() == null || r.statusDetails().equals(status) ? "" : " (" + r.statusDetails() + ")")
                                + firstLine(r.standardErrorContent()));
                    }
                }
            } catch (InvocationDoesNotExistException e) {
                last = "the invocation is not registered yet"; // normal for a moment after SendCommand
            }
            if (!Instant.now().plus(settings.pollInterval()).isBefore(deadline)) {
                return HostRun.failed("no result from command " + commandId + " within " + settings.resultWait().toSeconds()
                        + " s (" + last + ")");
            }
            try {
                Thread.sleep(settings.pollInterval().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return HostRun.failed("interrupted while waiting for command " + commandId);
            }
        }
    }

    private static String reason(SsmException e) {
        return e.awsErrorDetails() == null ? e.getMessage()
                : e.awsErrorDetails().errorCode() + ": " + e.awsErrorDetails().errorMessage();
    }

    private static String firstLine(String stderr) {
        return stderr == null || stderr.isBlank() ? "" : ": " + stderr.strip().lines().findFirst().orElse("");
    }
}
