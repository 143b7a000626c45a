package bench.harness;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.StackResource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.DocumentFormat;
import software.amazon.awssdk.services.ssm.model.DocumentType;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * A small environment in moto for the full drift-check path: the app stack with two instances and the desired
 * revision as a stack output, the SSM document and revision parameter, the ledger table, the topic, the bus and the
 * webhook secret. {@link #physical} maps the template's logical IDs to what was created, for the functions' env.
 */
final class Fixture {
    static final String STACK = "streamr-p2p-beta";
    static final String REVISION = "194af44c0ffee0000000000000000000000000aa";
    static final String BRANCH = "main";
    static final String REPOSITORY = "example/streamr-p2p";
    static final String WEBHOOK_SECRET = "bench-webhook-secret";

    final String stackId;
    final List<String> instanceIds;
    final String documentName = "drift-remediator-redeploy";
    final String observeDocumentName = "drift-remediator-observe";
    final String diagnoseDocumentName = "drift-remediator-diagnose";
    final String tableName = "drift-remediator-ledger";
    final String topicArn;
    final String busName = "drift-remediator-beta";
    final String secretId = "drift-remediator/github-webhook";
    final String parameterName = "/streamr/beta/desired-revision";
    private final DynamoDbClient dynamo;

    Fixture(Moto moto) {
        CloudFormationClient cfn = moto.client(CloudFormationClient.builder());
        String instance = """
                {"Type": "AWS::EC2::Instance", "Properties": {"ImageId": "ami-12c6146b", "InstanceType": "t3.micro",
                 "Tags": [{"Key": "drift-remediator:app", "Value": "streamr-app"}]}}""";
        String template = """
                {"Resources": {"AppInstanceA": %s, "AppInstanceB": %s},
                 "Parameters": {"Revision": {"Type": "String", "Default": "%s"}},
                 "Outputs": {"Revision": {"Value": {"Ref": "Revision"}}}}""".formatted(instance, instance, REVISION);
        stackId = cfn.createStack(r -> r.stackName(STACK).templateBody(template)).stackId();
        instanceIds = cfn.describeStackResources(r -> r.stackName(STACK)).stackResources().stream()
                .filter(r -> r.resourceType().equals("AWS::EC2::Instance")).map(StackResource::physicalResourceId).toList();

        SsmClient ssm = moto.client(SsmClient.builder());
        // moto records commands and never runs them: the documents only need their parameters.
        for (String name : List.of(documentName, observeDocumentName, diagnoseDocumentName)) {
            ssm.createDocument(r -> r.name(name).documentType(DocumentType.COMMAND).documentFormat(DocumentFormat.JSON)
                    .content("""
                            {"schemaVersion": "2.2", "description": "benchmark stand-in",
                             "parameters": {"Revision": {"type": "String", "default": ""},
                                            "RepositoryUrl": {"type": "String", "default": ""},
                                            "AppDirectory": {"type": "String", "default": ""},
                                            "ServiceName": {"type": "String", "default": ""},
                                            "HealthUrl": {"type": "String", "default": ""}},
                             "mainSteps": [{"action": "aws:runShellScript", "name": "run",
                                            "inputs": {"runCommand": ["true"]}}]}"""));
        }
        ssm.putParameter(r -> r.name(parameterName).type(ParameterType.STRING).value(REVISION));

        dynamo = moto.client(DynamoDbClient.builder());
        dynamo.createTable(r -> r.tableName(tableName).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("sk").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH), k -> k.attributeName("sk").keyType(KeyType.RANGE)));
        topicArn = moto.client(SnsClient.builder()).createTopic(r -> r.name("drift-remediator-outcomes")).topicArn();
        moto.client(EventBridgeClient.builder()).createEventBus(r -> r.name(busName));
        moto.client(SecretsManagerClient.builder()).createSecret(r -> r.name(secretId).secretString(WEBHOOK_SECRET));
    }

    /** The physical name of a template resource or parameter, as provisioned here (null: not known). */
    String physical(String logicalId) {
        Map<String, String> names = new HashMap<>();
        names.put("LedgerTable", tableName);
        names.put("RemediationTopic", topicArn);
        names.put("RemediationBus", busName);
        names.put("RedeployDocument", documentName);
        names.put("ObserveDocument", observeDocumentName);
        names.put("DiagnoseDocument", diagnoseDocumentName);
        names.put("RedeployLogGroup", "/drift-remediator/beta/redeploy");
        names.put("GitHubWebhookSecret", secretId);
        names.put("AppStackName", STACK);
        names.put("RevisionParameterName", parameterName);
        names.put("AWS::Region", Launcher.REGION);
        names.put("AWS::AccountId", "123456789012");
        names.put("AWS::StackName", "drift-remediator");
        names.put("AWS::Partition", "aws");
        return names.get(logicalId);
    }

    /** Empties the ledger, so the next drift check claims the revision again and sends the command. */
    void clearLedger() {
        for (Map<String, AttributeValue> item : dynamo.scanPaginator(r -> r.tableName(tableName)).items()) {
            dynamo.deleteItem(r -> r.tableName(tableName).key(Map.of("pk", item.get("pk"), "sk", item.get("sk"))));
        }
    }

    List<Map<String, AttributeValue>> ledgerItems() {
        return dynamo.scanPaginator(r -> r.tableName(tableName)).items().stream().toList();
    }

    /** The ledger exactly as {@code items}. */
    void restoreLedger(List<Map<String, AttributeValue>> items) {
        clearLedger();
        for (Map<String, AttributeValue> item : items) dynamo.putItem(r -> r.tableName(tableName).item(item));
    }

    String commandInvocationEvent(String commandId, String instanceId) {
        return """
                {"version": "0", "id": "%s", "detail-type": "EC2 Command Invocation Status-change Notification",
                 "source": "aws.ssm", "account": "123456789012", "time": "2026-11-28T05:00:00Z", "region": "%s",
                 "resources": ["arn:aws:ec2:%s:123456789012:instance/%s"],
                 "detail": {"command-id": "%s", "document-name": "%s", "instance-id": "%s",
                            "requested-date-time": "2026-11-28T05:00:00.000Z", "status": "Success"}}"""
                .formatted(java.util.UUID.randomUUID(), Launcher.REGION, Launcher.REGION, instanceId, commandId,
                        documentName, instanceId);
    }

    String cloudFormationEvent() {
        return """
                {"version": "0", "id": "%s", "detail-type": "CloudFormation Stack Status Change",
                 "source": "aws.cloudformation", "account": "123456789012", "time": "2026-11-28T05:00:00Z",
                 "region": "%s", "resources": ["%s"],
                 "detail": {"stack-id": "%s", "logical-resource-id": "%s",
                            "status-details": {"status": "UPDATE_COMPLETE", "status-reason": ""}}}"""
                .formatted(java.util.UUID.randomUUID(), Launcher.REGION, stackId, stackId, STACK);
    }
}
