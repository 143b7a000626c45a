package com.driftremediator.aws;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * An HTTP client that never touches the network: it answers every request in-process with a small, well-formed
 * success for its operation, so that a call runs the SDK's whole pipeline (endpoint, signing, marshalling,
 * unmarshalling into the response's nested model classes) and nothing else. Used for SnapStart priming only.
 * It remembers the operations it answered, so a test can see that priming reached every call of a path.
 */
public final class OfflineHttpClient implements SdkHttpClient {
    /**
     * A ledger item as DynamoLedger writes it: every attribute type it reads (S, N, BOOL, L, M), an attempt's and
     * the lock's attributes in one item.
     */
    private static final String LEDGER_ITEM = """
            {"pk":{"S":"ATTEMPT#priming"},"sk":{"S":"ATT#0123456789abcdef0123456789abcdef01234567#1"},
            "environment":{"S":"priming"},"revision":{"S":"0123456789abcdef0123456789abcdef01234567"},"number":{"N":"1"},
            "state":{"S":"IN_PROGRESS"},"commands":{"M":{"priming":{"L":[{"S":"i-00000000000000000"}]}}},
            "instances":{"L":[{"S":"i-00000000000000000"}]},
            "reason":{"S":"priming"},"createdAt":{"S":"2026-01-01T00:00:00Z"},"updatedAt":{"S":"2026-01-01T00:00:00Z"},
            "results":{"M":{"i-00000000000000000":{"M":{"outcome":{"S":"REMEDIATED"},"transient":{"BOOL":false},
            "reason":{"S":"priming"}}}}},"attemptId":{"S":"0123456789abcdef0123456789abcdef01234567#1"},
            "lockExpiresAtMs":{"N":"1767225600000"}}""";

    /** Answers that reach the nested model classes the functions' paths read; every other operation gets an empty one. */
    private static final Map<String, String> ANSWERS = Map.ofEntries(
            Map.entry("DescribeStacks", """
                    <DescribeStacksResponse><DescribeStacksResult><Stacks><member><StackName>priming</StackName>
                    <StackStatus>UPDATE_COMPLETE</StackStatus><Outputs><member><OutputKey>k</OutputKey>
                    <OutputValue>v</OutputValue></member></Outputs><Parameters><member><ParameterKey>k</ParameterKey>
                    <ParameterValue>v</ParameterValue></member></Parameters><Tags><member><Key>k</Key><Value>v</Value>
                    </member></Tags></member></Stacks></DescribeStacksResult></DescribeStacksResponse>"""),
            Map.entry("DescribeStackResources", """
                    <DescribeStackResourcesResponse><DescribeStackResourcesResult><StackResources><member>
                    <ResourceType>AWS::EC2::Instance</ResourceType><PhysicalResourceId>i-00000000000000000</PhysicalResourceId>
                    <LogicalResourceId>Priming</LogicalResourceId><ResourceStatus>CREATE_COMPLETE</ResourceStatus>
                    </member></StackResources></DescribeStackResourcesResult></DescribeStackResourcesResponse>"""),
            Map.entry("Publish", """
                    <PublishResponse><PublishResult><MessageId>priming</MessageId></PublishResult></PublishResponse>"""),
            Map.entry("DescribeInstanceInformation", """
                    {"InstanceInformationList":[{"InstanceId":"i-00000000000000000","PingStatus":"Online",
                    "LastPingDateTime":1.7E9,"IPAddress":"10.0.0.1","AgentVersion":"3.3.2746.0"}]}"""),
            Map.entry("SendCommand", """
                    {"Command":{"CommandId":"00000000-0000-0000-0000-000000000000","Parameters":{"k":["v"]},
                    "InstanceIds":["i-00000000000000000"],"Status":"Pending"}}"""),
            Map.entry("ListCommands", """
                    {"Commands":[{"CommandId":"00000000-0000-0000-0000-000000000000","Parameters":{"k":["v"]},
                    "Comment":"drift-remediator:priming:0123456789abcdef0123456789abcdef01234567#1",
                    "InstanceIds":["i-00000000000000000"]}]}"""),
            Map.entry("ListCommandInvocations", """
                    {"CommandInvocations":[{"CommandId":"00000000-0000-0000-0000-000000000000",
                    "InstanceId":"i-00000000000000000","Status":"Success","CommandPlugins":[{"Name":"observe",
                    "Status":"Success","Output":"{\\"onDisk\\":\\"0123456789abcdef0123456789abcdef01234567\\",\\"healthy\\":true}"}]}]}"""),
            Map.entry("GetCommandInvocation", """
                    {"CommandId":"00000000-0000-0000-0000-000000000000","InstanceId":"i-00000000000000000",
                    "Status":"Success","StandardErrorContent":"","StandardOutputContent":
                    "{\\"onDisk\\":\\"0123456789abcdef0123456789abcdef01234567\\",\\"releaseSwitchedEpoch\\":1700000000,\\"serviceStartedEpoch\\":1700000000,\\"healthy\\":true}\\n"}"""),
            Map.entry("GetParameter", """
                    {"Parameter":{"Name":"priming","Value":"v","Version":1}}"""),
            Map.entry("Query", "{\"Count\":1,\"Items\":[" + LEDGER_ITEM + "]}"),
            Map.entry("GetItem", "{\"Item\":" + LEDGER_ITEM + "}"),
            Map.entry("PutItem", "{}"),
            Map.entry("TransactWriteItems", "{}"),
            Map.entry("DeleteItem", "{}"),
            Map.entry("UpdateItem", "{\"Attributes\":" + LEDGER_ITEM + "}"));

    private final List<String> answered = new CopyOnWriteArrayList<>();

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        return new ExecutableHttpRequest() {
            @Override
            public HttpExecuteResponse call() throws IOException {
                String target = request.httpRequest().firstMatchingHeader("X-Amz-Target").orElse(null);
                byte[] body = readBody(request);
                boolean json = target != null;
                String operation = json ? target.substring(target.indexOf('.') + 1) : queryAction(body);
                answered.add(operation);
                String answer = ANSWERS.getOrDefault(operation,
                        json ? "{}" : "<" + operation + "Response><" + operation + "Result/></" + operation + "Response>");
                byte[] out = answer.getBytes(StandardCharsets.UTF_8);
                return HttpExecuteResponse.builder()
                        .response(SdkHttpResponse.builder().statusCode(200)
                                .putHeader("Content-Type", json ? "application/x-amz-json-1.1" : "text/xml")
                                .putHeader("Content-Length", Integer.toString(out.length)).build())
                        .responseBody(AbortableInputStream.create(new ByteArrayInputStream(out)))
                        .build();
            }

            @Override
            public void abort() {
            }
        };
    }

    private static byte[] readBody(HttpExecuteRequest request) throws IOException {
        if (request.contentStreamProvider().isEmpty()) return new byte[0];
        try (InputStream in = request.contentStreamProvider().get().newStream()) {
            return in.readAllBytes();
        }
    }

    /** The Query protocol's operation: the form body's Action parameter. */
    private static String queryAction(byte[] body) {
        for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
            if (pair.startsWith("Action=")) return URLDecoder.decode(pair.substring(7), StandardCharsets.UTF_8);
        }
        return "Unknown";
    }

    /** The operations answered so far, in order. */
    public List<String> answered() {
        return List.copyOf(answered);
    }

    @Override
    public String clientName() {
        return "offline";
    }

    @Override
    public void close() {
    }
}
