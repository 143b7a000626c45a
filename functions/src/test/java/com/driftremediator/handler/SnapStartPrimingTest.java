package com.driftremediator.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.driftremediator.aws.AwsClients;
import com.driftremediator.aws.Settings;
import com.sun.net.httpserver.HttpServer;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

class SnapStartPrimingTest {
    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private final List<String> unsignedGets = new CopyOnWriteArrayList<>();
    private URI loopback;

    @BeforeEach
    void startServer() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            if (exchange.getRequestMethod().equals("GET") && exchange.getRequestHeaders().getFirst("Authorization") == null) {
                unsignedGets.add(exchange.getRequestURI().toString()); // the TLS warm-up: no operation, no credentials
            } else {
                requests.incrementAndGet();
            }
            exchange.sendResponseHeaders(500, -1);
            exchange.close();
        });
        server.start();
        loopback = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    /**
     * The AWS endpoint and the served-revision probe both point at the counting server: priming's calls must reach
     * neither; only its TLS warm-up may, with unsigned GETs of the root.
     */
    private AwsWiring wiring() {
        return wiring(Map.of());
    }

    private AwsWiring wiring(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(Map.of(
                "ENVIRONMENT", "beta", "APP_STACK_NAME", "app", "LEDGER_TABLE", "ledger",
                "TOPIC_ARN", "arn:aws:sns:eu-west-1:123456789012:topic", "TARGET_TAG_KEY", "app",
                "TARGET_TAG_VALUE", "web", "OBSERVE_DOCUMENT", "observe", "REDEPLOY_DOCUMENT", "redeploy",
                "SERVED_URL", loopback + "/version?ip={privateIp}", "REVISION_OUTPUT_KEY", "Revision"));
        env.put("REVISION_PARAMETER_NAME", "/app/revision");
        env.putAll(extra);
        AwsClients clients = new AwsClients(Region.EU_WEST_1,
                StaticCredentialsProvider.create(AwsBasicCredentials.create("key", "secret")), loopback);
        return new AwsWiring(new Settings(env), clients);
    }

    @Test
    void theDriftCheckPathRunsToItsEndInProcess() {
        SnapStartPriming priming = new SnapStartPriming(wiring(), SnapStartPriming.steps(SnapStartPriming.Path.DRIFT_CHECK));
        // a step that throws stops priming that call part-way: every one must run to its end
        assertThat(priming.prime(2)).isEmpty();
        assertThat(priming.lastOperations).containsOnly("DescribeStacks", "Query", "GetItem",
                "DescribeStackResources", "DescribeInstanceInformation", "SendCommand", "ListCommandInvocations",
                "TransactWriteItems", "UpdateItem", "Publish")
                .contains("DescribeStacks", "Query", "GetItem", "DescribeStackResources", "DescribeInstanceInformation",
                        "SendCommand", "ListCommandInvocations", "TransactWriteItems", "UpdateItem", "Publish");
        assertThat(requests).hasValue(0);
    }

    @Test
    void theCommandResultPathRunsToItsEndInProcess() {
        SnapStartPriming priming = new SnapStartPriming(wiring(), SnapStartPriming.steps(SnapStartPriming.Path.COMMAND_RESULT));
        assertThat(priming.prime(2)).isEmpty();
        assertThat(priming.lastOperations).containsOnly("GetCommandInvocation", "ListCommands", "GetItem",
                "DescribeInstanceInformation", "SendCommand", "ListCommandInvocations", "UpdateItem", "DeleteItem",
                "Publish");
        assertThat(requests).hasValue(0);
    }

    @Test
    void theLambdaRuntimesCheckpointHookRunsThePriming() throws Exception {
        SnapStartPriming.Path.DRIFT_CHECK.primeBeforeSnapshot(wiring(Map.of("AWS_LAMBDA_INITIALIZATION_TYPE", "snap-start")));
        SnapStartPriming registered = SnapStartPriming.registered().get(SnapStartPriming.registered().size() - 1);
        assertThat(registered.lastOperations).isEmpty();

        // What the runtime interface client does: load its native library at start, then, after init when
        // AWS_LAMBDA_INITIALIZATION_TYPE=snap-start, run the hooks (and clear its DNS cache) before the snapshot.
        com.amazonaws.services.lambda.runtime.api.client.runtimeapi.JniHelper.load();
        com.amazonaws.services.lambda.crac.Core.getGlobalContext().beforeCheckpoint(null);

        assertThat(registered.lastOperations).contains("SendCommand", "TransactWriteItems", "Publish");
        assertThat(requests).hasValue(0);
        assertThat(unsignedGets).hasSize(SnapStartPriming.TLS_ROUNDS).containsOnly("/");
    }

    @Test
    void anOnDemandStartRegistersNothing() {
        int before = SnapStartPriming.registered().size();
        SnapStartPriming.Path.DRIFT_CHECK.primeBeforeSnapshot(wiring());
        SnapStartPriming.Path.COMMAND_RESULT.primeBeforeSnapshot(
                wiring(Map.of("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand")));
        assertThat(SnapStartPriming.registered()).hasSize(before);
    }

    @Test
    void primingCanBeTurnedOff() {
        int before = SnapStartPriming.registered().size();
        SnapStartPriming.Path.DRIFT_CHECK.primeBeforeSnapshot(wiring(Map.of(
                "AWS_LAMBDA_INITIALIZATION_TYPE", "snap-start", "SNAPSTART_PRIMING", "off")));
        assertThat(SnapStartPriming.registered()).hasSize(before);
        SnapStartPriming.Path.COMMAND_RESULT.primeBeforeSnapshot(wiring(Map.of(
                "AWS_LAMBDA_INITIALIZATION_TYPE", "snap-start")));
        assertThat(SnapStartPriming.registered()).hasSize(before + 1);
    }

    @Test
    void theRealWiringStillTalksToItsEndpoint() {
        // the contrast to the tests above: the same call through the handler's own wiring does reach the network
        try {
            wiring().ledger().attempts("beta");
        } catch (RuntimeException expected) {
            // the counting server answers 500
        }
        assertThat(requests.get()).isPositive();
    }
}
