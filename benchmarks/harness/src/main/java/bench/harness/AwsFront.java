package bench.harness;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

/**
 * What the functions see as AWS: moto, with the two things moto cannot do filled in, so the drift check runs its
 * full path. {@code DescribeInstanceInformation} (not implemented by moto) answers that the stack's instances are
 * managed and online; {@code GetCommandInvocation} (moto never runs a command) gets the stdout an instance would
 * print: ObserveDocument's line naming the old revision on disk, RedeployDocument's "deployed" summary.
 * Everything else is passed to moto unchanged. The measured functions reach it over TLS ({@link #tlsEndpoint()}), as
 * they reach AWS; the harness's own calls use plain HTTP ({@link #endpoint()}).
 */
final class AwsFront implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> HOP_BY_HOP = Set.of("host", "connection", "content-length", "expect", "upgrade",
            "transfer-encoding", "keep-alive");
    static final String OLD_REVISION = "3f2a1c9d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a39";

    private final HttpServer server;
    private final HttpsServer tlsServer;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "aws-front");
        t.setDaemon(true);
        return t;
    });
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final URI moto;
    private final Fixture fixture;

    AwsFront(URI moto, Fixture fixture, FrontTls tls) throws Exception {
        this.moto = moto;
        this.fixture = fixture;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.createContext("/", this::handle);
        server.setExecutor(threads);
        server.start();
        tlsServer = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        tlsServer.setHttpsConfigurator(new HttpsConfigurator(tls.serverContext()));
        tlsServer.createContext("/", this::handle);
        tlsServer.setExecutor(threads);
        tlsServer.start();
    }

    Fixture fixture() {
        return fixture;
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** What the measured functions get as AWS_ENDPOINT_URL. */
    URI tlsEndpoint() {
        return URI.create("https://127.0.0.1:" + tlsServer.getAddress().getPort());
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            if ("AmazonSSM.DescribeInstanceInformation".equals(target)) {
                reply(exchange, 200, "application/x-amz-json-1.1", instanceInformation(body));
                return;
            }
            HttpRequest.Builder forward = HttpRequest.newBuilder(moto.resolve(exchange.getRequestURI().toString()))
                    .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase())) values.forEach(v -> forward.header(name, v));
            });
            HttpResponse<byte[]> answer = http.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
            byte[] out = answer.body();
            if ("AmazonSSM.GetCommandInvocation".equals(target) && answer.statusCode() == 200) {
                out = withInstanceOutput(out);
            }
            answer.headers().map().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase()) && !name.startsWith(":")) {
                    exchange.getResponseHeaders().put(name, values);
                }
            });
            exchange.sendResponseHeaders(answer.statusCode(), out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
                try (OutputStream o = exchange.getResponseBody()) {
                    o.write(out);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private byte[] instanceInformation(byte[] request) throws IOException {
        JsonNode filters = JSON.readTree(request).path("Filters");
        List<String> wanted = fixture.instanceIds;
        for (JsonNode f : filters) {
            if (f.path("Key").asText().equals("InstanceIds")) {
                wanted = JSON.convertValue(f.path("Values"), JSON.getTypeFactory().constructCollectionType(List.class, String.class));
            }
        }
        ObjectNode out = JSON.createObjectNode();
        ArrayNode list = out.putArray("InstanceInformationList");
        for (String id : wanted) {
            if (!fixture.instanceIds.contains(id)) continue;
            list.addObject().put("InstanceId", id).put("PingStatus", "Online").put("PlatformType", "Linux")
                    .put("LastPingDateTime", System.currentTimeMillis() / 1000.0).put("AgentVersion", "3.3.2746.0")
                    .put("ResourceType", "EC2Instance");
        }
        return JSON.writeValueAsBytes(out);
    }

    private byte[] withInstanceOutput(byte[] motoAnswer) throws IOException {
        ObjectNode invocation = (ObjectNode) JSON.readTree(motoAnswer);
        String document = invocation.path("DocumentName").asText();
        long now = System.currentTimeMillis() / 1000;
        String stdout;
        if (document.equals(fixture.observeDocumentName)) {
            stdout = "{\"onDisk\":\"%s\",\"releaseSwitchedEpoch\":%d,\"serviceStartedEpoch\":%d,\"healthy\":true}\n"
                    .formatted(OLD_REVISION, now - 86_400, now - 86_000);
        } else {
            stdout = ("{\"result\":\"deployed\",\"revision\":\"%s\",\"previous\":\"%s\",\"serving\":\"%s\","
                    + "\"message\":\"deployed %s\",\"exitCode\":0,\"durationMs\":4200}\n")
                    .formatted(Fixture.REVISION, OLD_REVISION, Fixture.REVISION, Fixture.REVISION.substring(0, 7));
        }
        invocation.put("Status", "Success").put("StatusDetails", "Success").put("ResponseCode", 0)
                .put("StandardOutputContent", stdout);
        return JSON.writeValueAsBytes(invocation);
    }

    private static void reply(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream o = exchange.getResponseBody()) {
            o.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        tlsServer.stop(0);
        threads.shutdownNow();
    }
}
