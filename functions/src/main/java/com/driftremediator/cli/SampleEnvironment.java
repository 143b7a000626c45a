package com.driftremediator.cli;

import com.driftremediator.aws.AwsClients;
import com.driftremediator.domain.Revision;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.StackResource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.DocumentFormat;
import software.amazon.awssdk.services.ssm.model.DocumentType;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * The sample environment of the incident, provisioned in an AWS API emulator (`emulator up`, and the *IT
 * tests): the app stack with tagged EC2 instances whose UserData installed the old commit once, our two SSM
 * documents (content taken from template.yaml), the ledger table, the topic with an SQS subscription, the
 * git-push bus with an SQS target, the secrets (the Slack one only when a URL is given, so nothing posts to a
 * real workspace by accident), and the SSM parameter naming the desired revision.
 */
public final class SampleEnvironment {
    /**
     * What UserData installed at boot, and what the stack now wants (the incident's two commits): v1 and v2 of the
     * sample app's repository (examples/streamr-app), whose commits have the same SHAs on every machine.
     */
    public static final Revision BOOTED = Revision.of("4c481b40be5d6b269072570ee2b639caa352d4c5");
    public static final Revision DESIRED = Revision.of("59893866638027c51fcb969ee88e213179caa381");
    /** v3-broken: crashes at start (the bad-release scenario). */
    public static final Revision BAD_RELEASE = Revision.of("776d8830a9d8c59d76fce5d488df4698228999ec");
    /** The webhook secret when `emulator up` is not given one: the one events/github-push.json is signed with. */
    static final String LOCAL_WEBHOOK_SECRET = "drift-remediator-demo-secret";
    static final String REDEPLOY_DOCUMENT = "drift-remediator-redeploy";
    static final String OBSERVE_DOCUMENT = "drift-remediator-observe";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param revisionOnStack also name the desired revision as the stack's AppRevision parameter (as a pipeline
     *                        that passes the commit to the stack does); otherwise only the SSM parameter names it
     * @param parameters      template parameters set for this environment, over the template's defaults (the
     *                        source: RepositoryUrl, SourceSecretArn, ...)
     */
    public record Options(String environment, String stackName, List<Host> hosts, boolean revisionOnStack,
                          String webhookSecret, String slackWebhookUrl, Map<String, String> parameters) {
        public Options(String environment, String stackName, List<Host> hosts, boolean revisionOnStack,
                       String webhookSecret, String slackWebhookUrl) {
            this(environment, stackName, hosts, revisionOnStack, webhookSecret, slackWebhookUrl, Map.of());
        }

        /** {@code instances} instances at 127.0.0.1, 127.0.0.2, ... whose UserData is the stack's sample script. */
        public Options(String environment, String stackName, int instances, boolean revisionOnStack,
                       String webhookSecret, String slackWebhookUrl) {
            this(environment, stackName, java.util.stream.IntStream.rangeClosed(1, instances)
                            .mapToObj(i -> new Host("127.0.0." + i, sampleUserData())).toList(),
                    revisionOnStack, webhookSecret, slackWebhookUrl);
        }
    }

    /** One instance of the app stack: its private address (always loopback) and its UserData. */
    public record Host(String privateIp, String userData) {
        public Host {
            if (!privateIp.startsWith("127.")) throw new IllegalArgumentException("not a loopback address: " + privateIp);
        }
    }

    /** What was created, and the function environment variables that point at it. */
    public record Provisioned(String stackName, List<String> instanceIds, String reportQueueUrl,
                              String gitPushQueueUrl, Map<String, String> variables) {
    }

    private SampleEnvironment() {
    }

    public static Provisioned provision(AwsClients clients, Template template, Options o) {
        Map<String, String> params = new java.util.HashMap<>(template.parameterDefaults());
        params.putAll(o.parameters());
        Intrinsics intrinsics = new Intrinsics(params, Map.of(), clients.region().id());
        String tagKey = params.get("TargetTagKey");
        String tagValue = params.get("TargetTagPrefix") + "-" + o.environment(); // template.yaml: <prefix>-<Environment>
        String prefix = "drift-remediator-" + o.environment();

        CloudFormationClient cfn = clients.build(CloudFormationClient.builder());
        cfn.createStack(r -> r.stackName(o.stackName()).templateBody(appStack(o, tagKey, tagValue)));
        // in the order of o.hosts(): the n-th host is AppInstance<n>
        Map<String, String> byLogicalId = cfn.describeStackResources(r -> r.stackName(o.stackName())).stackResources()
                .stream().filter(r -> "AWS::EC2::Instance".equals(r.resourceType()))
                .collect(java.util.stream.Collectors.toMap(StackResource::logicalResourceId, StackResource::physicalResourceId));
        List<String> instanceIds = java.util.stream.IntStream.rangeClosed(1, o.hosts().size())
                .mapToObj(i -> byLogicalId.get("AppInstance" + i)).toList();

        SsmClient ssm = clients.build(SsmClient.builder());
        createDocument(ssm, template, intrinsics, "RedeployDocument", REDEPLOY_DOCUMENT);
        createDocument(ssm, template, intrinsics, "ObserveDocument", OBSERVE_DOCUMENT);
        String diagnoseDocument = "drift-remediator-diagnose-" + o.environment();
        createDocument(ssm, template, intrinsics, "DiagnoseDocument", diagnoseDocument);
        String revisionParameter = params.get("RevisionParameterName");
        ssm.putParameter(r -> r.name(revisionParameter).value(DESIRED.sha()).type(ParameterType.STRING).overwrite(true));

        String table = prefix + "-ledger";
        createLedgerTable(clients.build(DynamoDbClient.builder()), template, table);

        SqsClient sqs = clients.build(SqsClient.builder());
        SnsClient sns = clients.build(SnsClient.builder());
        String topicArn = sns.createTopic(r -> r.name(prefix + "-remediation")).topicArn();
        String reportQueue = sqs.createQueue(r -> r.queueName(prefix + "-reports")).queueUrl();
        sns.subscribe(r -> r.topicArn(topicArn).protocol("sqs").endpoint(queueArn(sqs, reportQueue)));

        EventBridgeClient events = clients.build(EventBridgeClient.builder());
        String bus = prefix;
        events.createEventBus(r -> r.name(bus));
        String pushQueue = sqs.createQueue(r -> r.queueName(prefix + "-git-pushes")).queueUrl();
        events.putRule(r -> r.name(prefix + "-git-push").eventBusName(bus)
                .eventPattern("{\"source\":[\"drift-remediator.github\"],\"detail-type\":[\"Git Push\"]}"));
        events.putTargets(r -> r.rule(prefix + "-git-push").eventBusName(bus)
                .targets(t -> t.id("inbox").arn(queueArn(sqs, pushQueue))));

        Map<String, String> v = new LinkedHashMap<>();
        SecretsManagerClient secrets = clients.build(SecretsManagerClient.builder());
        String webhookSecret = o.webhookSecret() != null ? o.webhookSecret() : LOCAL_WEBHOOK_SECRET;
        v.put("WEBHOOK_SECRET_ID", secrets.createSecret(r -> r.name(prefix + "/github-webhook-secret")
                .secretString(webhookSecret)).arn());
        if (o.slackWebhookUrl() != null) {
            // SlackNotifierFunction's secret: {"webhookUrl": ...} under the SlackSecretName parameter's name
            String name = params.getOrDefault("SlackSecretName", "drift-remediator/slack");
            String value = JSON.createObjectNode().put("webhookUrl", o.slackWebhookUrl()).toString();
            secrets.createSecret(r -> r.name(name).secretString(value));
            v.put("SLACK_SECRET_ID", name);
        }
        v.put("ENVIRONMENT", o.environment());
        v.put("APP_STACK_NAME", o.stackName());
        v.put("LEDGER_TABLE", table);
        v.put("LEDGER_TABLE_NAME", table);
        v.put("TOPIC_ARN", topicArn);
        v.put("EVENT_BUS_NAME", bus);
        v.put("REDEPLOY_DOCUMENT", REDEPLOY_DOCUMENT);
        v.put("OBSERVE_DOCUMENT", OBSERVE_DOCUMENT);
        v.put("DIAGNOSE_DOCUMENT", diagnoseDocument);
        v.put("APP_DIRECTORY", params.get("AppDirectory"));
        v.put("SERVICE_NAME", params.get("ServiceName"));
        v.put("REVISION_PARAMETER_NAME", revisionParameter);
        // the one authority: the stack when it names the revision, else the SSM parameter provisioned above
        v.put("REVISION_AUTHORITY", o.revisionOnStack() ? "stack" : "parameter");
        v.put("TARGET_TAG_KEY", tagKey);
        v.put("TARGET_TAG_VALUE", tagValue);
        v.put("SERVED_URL", "");
        return new Provisioned(o.stackName(), instanceIds, reportQueue, pushQueue, v);
    }

    private static String appStack(Options o, String tagKey, String tagValue) {
        ObjectNode t = JSON.createObjectNode();
        t.put("Description", "The app: EC2 instances whose UserData installs the app once, at boot");
        if (o.revisionOnStack()) {
            t.putObject("Parameters").putObject("AppRevision").put("Type", "String").put("Default", DESIRED.sha());
        }
        ObjectNode resources = t.putObject("Resources");
        for (int i = 1; i <= o.hosts().size(); i++) {
            Host host = o.hosts().get(i - 1);
            ObjectNode p = resources.putObject("AppInstance" + i).put("Type", "AWS::EC2::Instance").putObject("Properties");
            p.put("ImageId", "ami-0123456789abcdef0").put("InstanceType", "t3.small").put("PrivateIpAddress", host.privateIp());
            p.putObject("UserData").put("Fn::Base64", host.userData());
            ArrayNode tags = p.putArray("Tags");
            tags.addObject().put("Key", tagKey).put("Value", tagValue);
            tags.addObject().put("Key", "Name").put("Value", o.stackName() + "-" + i);
        }
        // The app's Auto Scaling group, empty at first: the emulator launches its instances (scale-out, replacement)
        ObjectNode launch = resources.putObject("AppLaunchTemplate").put("Type", "AWS::EC2::LaunchTemplate")
                .putObject("Properties").putObject("LaunchTemplateData");
        launch.put("ImageId", "ami-0123456789abcdef0").put("InstanceType", "t3.small");
        launch.putObject("UserData").put("Fn::Base64", o.hosts().get(0).userData());
        ObjectNode group = resources.putObject("AppGroup").put("Type", "AWS::AutoScaling::AutoScalingGroup")
                .putObject("Properties").put("MinSize", "0").put("MaxSize", "20").put("DesiredCapacity", "0");
        group.putObject("AvailabilityZones").put("Fn::GetAZs", "");
        ObjectNode template = group.putObject("LaunchTemplate");
        template.putObject("LaunchTemplateId").put("Ref", "AppLaunchTemplate");
        template.putObject("Version").putArray("Fn::GetAtt").add("AppLaunchTemplate").add("LatestVersionNumber");
        return t.toString();
    }

    /** The incident's root: this runs once, at first boot, and never again after a stack update. */
    static String sampleUserData() {
        return """
                #!/bin/bash
                set -euxo pipefail
                dnf install -y git python3.11
                git clone https://github.com/example/streamr-p2p.git /home/ec2-user/app
                git -C /home/ec2-user/app checkout %s
                python3.11 -m venv /home/ec2-user/app/.venv
                /home/ec2-user/app/.venv/bin/pip install -r /home/ec2-user/app/requirements.txt
                systemctl enable --now streamr-app
                """.formatted(BOOTED.sha());
    }

    private static void createDocument(SsmClient ssm, Template template, Intrinsics intrinsics, String logicalId,
                                       String name) {
        Object content = intrinsics.resolve(template.properties(logicalId).get("Content"));
        if (content == null) throw new IllegalStateException("template.yaml has no " + logicalId + " Content");
        try {
            String json = JSON.writeValueAsString(content);
            ssm.createDocument(r -> r.name(name).content(json).documentFormat(DocumentFormat.JSON)
                    .documentType(DocumentType.COMMAND));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void createLedgerTable(DynamoDbClient dynamo, Template template, String table) {
        Map<String, Object> p = template.properties("LedgerTable");
        List<AttributeDefinition> attributes = ((List<?>) p.get("AttributeDefinitions")).stream()
                .map(a -> (Map<?, ?>) a).map(a -> AttributeDefinition.builder()
                        .attributeName(String.valueOf(a.get("AttributeName")))
                        .attributeType(String.valueOf(a.get("AttributeType"))).build()).toList();
        List<KeySchemaElement> keys = ((List<?>) p.get("KeySchema")).stream().map(k -> (Map<?, ?>) k)
                .map(k -> KeySchemaElement.builder().attributeName(String.valueOf(k.get("AttributeName")))
                        .keyType(String.valueOf(k.get("KeyType"))).build()).toList();
        dynamo.createTable(r -> r.tableName(table).attributeDefinitions(attributes).keySchema(keys)
                .billingMode(BillingMode.PAY_PER_REQUEST));
    }

    private static String queueArn(SqsClient sqs, String queueUrl) {
        return sqs.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
    }
}
