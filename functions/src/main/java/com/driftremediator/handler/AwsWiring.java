package com.driftremediator.handler;

import com.driftremediator.aws.AwsClients;
import com.driftremediator.aws.DynamoBranchHeads;
import com.driftremediator.aws.DynamoLedger;
import com.driftremediator.aws.ParameterRevisionSource;
import com.driftremediator.aws.RegionalEndpoints;
import com.driftremediator.aws.Settings;
import com.driftremediator.aws.SnsNotifier;
import com.driftremediator.aws.SsmCommandRunner;
import com.driftremediator.aws.SsmFleet;
import com.driftremediator.aws.StackRevisionSource;
import com.driftremediator.aws.diagnose.AwsDiagnosticSource;
import com.driftremediator.domain.AuthorityMode;
import com.driftremediator.domain.BranchAuthority;
import com.driftremediator.domain.Diagnoser;
import com.driftremediator.domain.DriftCheck;
import com.driftremediator.domain.FailureDiagnosis;
import com.driftremediator.domain.RemediationResults;
import com.driftremediator.domain.RepositoryUrl;
import com.driftremediator.domain.RetryPolicy;
import com.driftremediator.domain.RevisionSource;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.endpoints.CloudFormationEndpointProvider;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.endpoints.DynamoDbEndpointProvider;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.endpoints.SnsEndpointProvider;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.endpoints.SsmEndpointProvider;

/**
 * Builds the AWS adapters of DriftCheckFunction and CommandResultFunction from their environment variables
 * (names in template.yaml, read once here) and one set of SDK clients, each built on first use only.
 * Adapters are shared by both use cases.
 */
public final class AwsWiring {
    /** Environment variable to RedeployDocument parameter (besides Revision, which comes from the check). */
    private static final Map<String, String> REDEPLOY_PARAMETERS = Map.of(
            "REPOSITORY_URL", "RepositoryUrl", "APP_DIRECTORY", "AppDirectory",
            "SERVICE_NAME", "ServiceName", "HEALTH_URL", "HealthUrl");
    private static final Map<String, String> OBSERVE_PARAMETERS = Map.of(
            "APP_DIRECTORY", "AppDirectory", "SERVICE_NAME", "ServiceName", "HEALTH_URL", "HealthUrl");

    private final Settings env;
    private final AwsClients clients;
    private final String environment;
    private final String stackName;
    private final String logGroup;
    private final AuthorityMode authority;
    private Ec2Client ec2;
    private AutoScalingClient autoScaling;
    private DynamoDbClient dynamo;
    private SsmClient ssm;
    private CloudFormationClient cloudFormation;
    private DynamoLedger ledger;
    private SsmFleet fleet;
    private SsmCommandRunner runner;
    private SnsNotifier notifier;
    private StackRevisionSource stack;
    private RevisionSource revisionSource;

    public AwsWiring(Settings env, AwsClients clients) {
        this.env = env;
        this.clients = clients;
        this.environment = env.require("ENVIRONMENT");
        this.stackName = env.require("APP_STACK_NAME");
        this.logGroup = env.get("COMMAND_LOG_GROUP", "/drift-remediator/" + environment + "/redeploy");
        try {
            this.authority = AuthorityMode.parse(env.get("REVISION_AUTHORITY", "stack"));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("environment variable REVISION_AUTHORITY: " + e.getMessage());
        }
    }

    public String environment() {
        return environment;
    }

    /**
     * Lambda is initializing this environment for a SnapStart snapshot, and priming is wanted (SNAPSTART_PRIMING=off
     * takes the snapshot unprimed: for comparison, or should a canned answer ever break priming).
     */
    boolean initializingForSnapshot() {
        return "snap-start".equals(env.get("AWS_LAMBDA_INITIALIZATION_TYPE", null))
                && !"off".equalsIgnoreCase(env.get("SNAPSTART_PRIMING", "on"));
    }

    /**
     * The same adapters over clients whose requests never leave the process (SnapStart priming). Without
     * SERVED_URL: the served-revision probe is plain HTTP to an instance, not an AWS call.
     */
    AwsWiring offline() {
        Map<String, String> settings = new LinkedHashMap<>(env.asMap());
        settings.remove("SERVED_URL");
        return new AwsWiring(new Settings(settings), clients.offline());
    }

    /** SnapStart priming's TLS handshakes with this function's SSM endpoint ({@link AwsClients#warmUpTls}). */
    String warmUpTls(int rounds) {
        return clients.warmUpTls("ssm", rounds);
    }

    /** The operations the offline clients answered (priming's test). */
    List<String> offlineOperations() {
        return clients.offlineOperations();
    }

    public String stackName() {
        return stackName;
    }

    /** How long an attempt may stay IN_PROGRESS before the scheduled check calls it TIMED_OUT. */
    public Duration reconcileAfter() {
        return Duration.ofMinutes(env.getInt("RECONCILE_AFTER_MINUTES", 75));
    }

    public EventParser parser() {
        return new EventParser(new EventParser.Config(stackName, env.get("GIT_BRANCH", "main"),
                env.get("GIT_REPOSITORY", null), env.get("CODECOMMIT_REPOSITORY", null),
                env.get("REDEPLOY_DOCUMENT", null)));
    }

    /**
     * The retry policy (RETRY_MAX_TRIES transient failures in a row, backoff from RETRY_BACKOFF_SECONDS doubling up to
     * RETRY_MAX_BACKOFF_SECONDS) and how long the environment lock is held once a command is sent.
     */
    public DriftCheck.Policy policy() {
        return new DriftCheck.Policy(new RetryPolicy(env.getInt("RETRY_MAX_TRIES", 3),
                Duration.ofSeconds(env.getInt("RETRY_BACKOFF_SECONDS", 120)),
                Duration.ofSeconds(env.getInt("RETRY_MAX_BACKOFF_SECONDS", 1800))), reconcileAfter());
    }

    public DriftCheck driftCheck() {
        return new DriftCheck(environment, stackName, fleet(), revisionSource(), runner(), ledger(), notifier(),
                Clock.systemUTC(), policy());
    }

    public RemediationResults remediationResults() {
        return remediationResults(failureDiagnosis());
    }

    /**
     * For the scheduled check, which only ends attempts left IN_PROGRESS or PENDING too long (reports without a
     * diagnosis): without EC2, so DriftCheckFunction's package leaves the EC2 module out.
     */
    public RemediationResults reconciliation() {
        return remediationResults(FailureDiagnosis.NONE);
    }

    private RemediationResults remediationResults(FailureDiagnosis diagnosis) {
        return new RemediationResults(environment, stackName, fleet(), runner(), ledger(), notifier(), diagnosis,
                Clock.systemUTC(), policy());
    }

    /**
     * Failed and rolled-back results carry a diagnosis when DIAGNOSE_DOCUMENT is configured. The only EC2 use of
     * CommandResultFunction (UserData, launch time, instance profile).
     */
    private FailureDiagnosis failureDiagnosis() {
        if (env.get("DIAGNOSE_DOCUMENT", null) == null) return FailureDiagnosis.NONE;
        return new Diagnoser(new AwsDiagnosticSource(ec2(), ssm(), cloudFormation(),
                DiagnoseHandler.settings(env.asMap())), stackName);
    }

    public DynamoLedger ledger() {
        if (ledger == null) {
            ledger = new DynamoLedger(dynamo(), env.require("LEDGER_TABLE"));
        }
        return ledger;
    }

    public SnsNotifier notifier() {
        if (notifier == null) {
            notifier = new SnsNotifier(clients.build(SnsClient.builder().endpointProvider(snsEndpoints())),
                    env.require("TOPIC_ARN"), clients.region().id(), logGroup);
        }
        return notifier;
    }

    public SsmFleet fleet() {
        if (fleet == null) fleet = new SsmFleet(cloudFormation(), this::autoScaling, ssm(), new SsmFleet.Config(stackName,
                env.require("OBSERVE_DOCUMENT"), parameters(OBSERVE_PARAMETERS), env.get("SERVED_URL", null),
                Duration.ofSeconds(2)), Clock.systemUTC());
        return fleet;
    }

    public SsmCommandRunner runner() {
        if (runner == null) runner = newRunner();
        return runner;
    }

    private SsmCommandRunner newRunner() {
        String repository = env.get("REPOSITORY_URL", null);
        if (repository != null && !RepositoryUrl.isAllowed(repository)) {
            // never sent, never printed whole: SSM would refuse it, and keep it in the command's history first
            throw new IllegalStateException("REPOSITORY_URL " + RepositoryUrl.publicForm(repository)
                    + " is refused: not an https, ssh, git@host:path, file, codecommit or s3 URL, or it carries"
                    + " credentials (user info, a token, a query)");
        }
        return new SsmCommandRunner(ssm(), new SsmCommandRunner.Config(env.require("REDEPLOY_DOCUMENT"),
                env.get("COMMAND_MAX_CONCURRENCY", "50%"), env.get("COMMAND_MAX_ERRORS", "0"),
                env.getInt("COMMAND_TIMEOUT_SECONDS", 600), logGroup, parameters(REDEPLOY_PARAMETERS),
                5, Duration.ofSeconds(1)));
    }

    /** The environment's one authority for the desired revision (REVISION_AUTHORITY: stack, parameter or branch). */
    public RevisionSource revisionSource() {
        if (revisionSource == null) revisionSource = switch (authority) {
            case STACK -> stack();
            case PARAMETER -> new ParameterRevisionSource(ssm(), env.require("REVISION_PARAMETER_NAME"));
            case BRANCH -> new BranchAuthority(environment, env.get("GIT_BRANCH", "main"),
                    new DynamoBranchHeads(dynamo(), env.require("LEDGER_TABLE")));
        };
        return revisionSource;
    }

    /** The app stack (its status, and stack mode's authority). */
    public StackRevisionSource stack() {
        if (stack == null) stack = new StackRevisionSource(cloudFormation(), new StackRevisionSource.Config(stackName,
                env.get("REVISION_OUTPUT_KEY", null), env.get("REVISION_PARAMETER_KEY", null),
                env.get("REVISION_TAG_KEY", null)));
        return stack;
    }

    private Map<String, String> parameters(Map<String, String> names) {
        Map<String, String> out = new LinkedHashMap<>();
        names.forEach((variable, parameter) -> {
            String v = env.get(variable, null);
            if (v != null) out.put(parameter, v);
        });
        return out;
    }

    // The regional endpoint without the SDK's rules engine where it is the standard one (RegionalEndpoints).
    private static CloudFormationEndpointProvider cloudFormationEndpoints() {
        CloudFormationEndpointProvider rules = CloudFormationEndpointProvider.defaultProvider();
        return p -> RegionalEndpoints.resolve("cloudformation", p.region(), p.useFips(), p.useDualStack(), p.endpoint(),
                () -> rules.resolveEndpoint(p));
    }

    private static SsmEndpointProvider ssmEndpoints() {
        SsmEndpointProvider rules = SsmEndpointProvider.defaultProvider();
        return p -> RegionalEndpoints.resolve("ssm", p.region(), p.useFips(), p.useDualStack(), p.endpoint(),
                () -> rules.resolveEndpoint(p));
    }

    private static DynamoDbEndpointProvider dynamoDbEndpoints() {
        DynamoDbEndpointProvider rules = DynamoDbEndpointProvider.defaultProvider();
        return p -> RegionalEndpoints.resolve("dynamodb", p.region(), p.useFips(), p.useDualStack(), p.endpoint(),
                () -> rules.resolveEndpoint(p));
    }

    private static SnsEndpointProvider snsEndpoints() {
        SnsEndpointProvider rules = SnsEndpointProvider.defaultProvider();
        return p -> RegionalEndpoints.resolve("sns", p.region(), p.useFips(), p.useDualStack(), p.endpoint(),
                () -> rules.resolveEndpoint(p));
    }

    private Ec2Client ec2() {
        if (ec2 == null) ec2 = clients.build(Ec2Client.builder());
        return ec2;
    }

    private DynamoDbClient dynamo() {
        if (dynamo == null) dynamo = clients.build(DynamoDbClient.builder().endpointProvider(dynamoDbEndpoints()));
        return dynamo;
    }

    /** Only for stacks whose instances come from an Auto Scaling group (SsmFleet asks for it then). */
    private AutoScalingClient autoScaling() {
        if (autoScaling == null) autoScaling = clients.build(AutoScalingClient.builder());
        return autoScaling;
    }

    private SsmClient ssm() {
        if (ssm == null) ssm = clients.build(SsmClient.builder().endpointProvider(ssmEndpoints()));
        return ssm;
    }

    private CloudFormationClient cloudFormation() {
        if (cloudFormation == null) {
            cloudFormation = clients.build(CloudFormationClient.builder().endpointProvider(cloudFormationEndpoints()));
        }
        return cloudFormation;
    }
}
