package com.driftremediator.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The endpoint the functions and the CLI talk to (AWS_ENDPOINT_URL): every request goes on to moto unchanged,
 * except what moto lacks. SSM Run Command is answered by {@link RunCommandEmulator}; events put on a bus and the
 * SSM status-change events go through the {@link EventRouter}; messages published on a topic reach the function
 * subscribed to it. Loopback only.
 */
public final class AwsFront implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Headers java.net.http sets itself, or refuses. */
    private static final Set<String> HOP_BY_HOP = Set.of("host", "connection", "content-length", "expect", "upgrade",
            "transfer-encoding", "keep-alive", "te", "trailer", "proxy-connection", "http2-settings");
    /** The service in a SigV4 credential scope: Credential=KEY/DATE/REGION/SERVICE/aws4_request. */
    private static final String CONTROL = "/_emulator/";
    private static final Pattern SCOPE_SERVICE = Pattern.compile("Credential=[^/]+/[^/]+/[^/]+/([^/]+)/");

    /** A topic subscription of a function (SNS → Lambda). */
    public record Subscription(String topicArn, String functionId) {
    }

    private final HttpServer server;
    private final URI moto;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final RunCommandEmulator runCommand;
    private final EventRouter router;
    private final List<Subscription> subscriptions;
    private final String account;
    private final String region;
    private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();
    private final AtomicReference<Fault> fault = new AtomicReference<>();
    private volatile Control control = (action, instanceId) -> {
        throw new IllegalArgumentException("no emulator control here");
    };

    public AwsFront(int port, URI moto, RunCommandEmulator runCommand, EventRouter router,
                    List<Subscription> subscriptions, String account, String region) throws IOException {
        this.moto = moto;
        this.runCommand = runCommand;
        this.router = router;
        this.subscriptions = List.copyOf(subscriptions);
        this.account = account;
        this.region = region;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(16, r -> {
            Thread t = new Thread(r, "aws-front");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    /**
     * What the emulator does on the CLI's request ({@code emulator scale-out}, {@code emulator replace ID}), as POST
     * {@code /_emulator/<action>[?instance=ID]}: its answer is JSON; an IllegalArgumentException is a 400 with the
     * message. Not an AWS API: AWS requests never have this path.
     */
    public interface Control {
        String handle(String action, String instanceId);
    }

    public void control(Control control) {
        this.control = control;
    }

    /** A request the front refuses once: its operation (as {@link #calls} names it) and a test of its body. */
    public record Fault(String operation, Predicate<String> body) {
    }

    /** What a refused request answers: a function that gets it stops there, as if it had crashed at that call. */
    public static final String INJECTED = "injected fault: the caller stops here, as if it crashed";

    /** Refuses the next request that matches; replaces a fault that did not fire yet. */
    public void failOnce(Fault next) {
        fault.set(next);
    }

    /** Takes back a fault that did not fire; says whether one was still waiting. */
    public boolean disarm() {
        return fault.getAndSet(null) != null;
    }

    /** The router's view of SSM's events: the default bus. */
    public static Consumer<String> defaultBus(EventRouter router) {
        return event -> router.route("default", event);
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (exchange.getRequestURI().getPath().startsWith(CONTROL)) {
                control(exchange);
                return;
            }
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            String text = new String(body, StandardCharsets.UTF_8);
            String called = operation(exchange, target, text);
            calls.computeIfAbsent(called, k -> new LongAdder()).increment();
            Fault armed = fault.get();
            if (armed != null && armed.operation().equals(called) && armed.body().test(text) && fault.compareAndSet(armed, null)) {
                // a client error, which the SDK does not retry: the caller stops at this call
                reply(exchange, 400, Map.of("Content-Type", List.of("application/x-amz-json-1.0")), JSON.createObjectNode()
                        .put("__type", "InjectedFault").put("message", INJECTED).toString().getBytes(StandardCharsets.UTF_8));
                return;
            }
            if (target != null && target.startsWith("AmazonSSM.")
                    && RunCommandEmulator.OPERATIONS.contains(target.substring("AmazonSSM.".length()))) {
                RunCommandEmulator.Reply r = runCommand.handle(target.substring("AmazonSSM.".length()), text,
                        (operation, json) -> ssm(exchange, operation, json));
                reply(exchange, r.status(), Map.of("Content-Type", List.of("application/x-amz-json-1.1")),
                        r.body().getBytes(StandardCharsets.UTF_8));
                return;
            }
            Forwarded f = forward(exchange, body, target);
            reply(exchange, f.status(), f.headers(), f.body());
            if (f.status() != 200) return;
            if ("AWSEvents.PutEvents".equals(target)) {
                putEvents(text);
            } else if (target == null && "Publish".equals(form(text).get("Action"))) {
                published(form(text), new String(f.body(), StandardCharsets.UTF_8));
            }
        } catch (RuntimeException e) {
            System.err.println("emulator: " + exchange.getRequestURI() + ": " + e);
        }
    }

    private void control(HttpExchange exchange) throws IOException {
        String action = exchange.getRequestURI().getPath().substring(CONTROL.length());
        String query = exchange.getRequestURI().getRawQuery();
        String instance = query == null ? null : form(query).get("instance");
        int status = 200;
        String answer;
        try {
            answer = "POST".equals(exchange.getRequestMethod()) ? control.handle(action, instance)
                    : JSON.createObjectNode().put("error", "POST only").toString();
            if (!"POST".equals(exchange.getRequestMethod())) status = 405;
        } catch (IllegalArgumentException | IllegalStateException e) {
            status = 400;
            answer = JSON.createObjectNode().put("error", String.valueOf(e.getMessage())).toString();
        }
        reply(exchange, status, Map.of("Content-Type", List.of("application/json")), answer.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Every request received so far, by operation: its X-Amz-Target ("AmazonSSM.SendCommand"), or for the query
     * protocol the signing scope's service and the Action ("cloudformation.DescribeStacks"). The fleet benchmark
     * counts the check's calls with it.
     */
    public Map<String, Long> calls() {
        Map<String, Long> out = new TreeMap<>();
        calls.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    private static String operation(HttpExchange exchange, String target, String body) {
        if (target != null) return target;
        Matcher m = SCOPE_SERVICE.matcher(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
        String action = form(body).getOrDefault("Action", exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
        return (m.find() ? m.group(1) : "unsigned") + "." + action;
    }

    private record Forwarded(int status, Map<String, List<String>> headers, byte[] body) {
    }

    private Forwarded forward(HttpExchange exchange, byte[] body, String target) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(moto.resolve(exchange.getRequestURI().toString()))
                .timeout(Duration.ofSeconds(60))
                .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase())) values.forEach(v -> b.header(name, v));
        });
        try {
            HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Forwarded(r.statusCode(), r.headers().map(), r.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while forwarding " + target, e);
        }
    }

    /** One SSM JSON call to moto, signed headers kept (moto does not check signatures). */
    private RunCommandEmulator.Reply ssm(HttpExchange exchange, String operation, String json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(moto.resolve("/")).timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(json));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase()) && !name.equalsIgnoreCase("X-Amz-Target")) {
                values.forEach(v -> b.header(name, v));
            }
        });
        b.header("X-Amz-Target", "AmazonSSM." + operation);
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new RunCommandEmulator.Reply(r.statusCode(), r.body());
        } catch (IOException e) {
            return RunCommandEmulator.Reply.error("InternalServerError", "moto: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return RunCommandEmulator.Reply.error("InternalServerError", "interrupted");
        }
    }

    private static void reply(HttpExchange exchange, int status, Map<String, List<String>> headers, byte[] body)
            throws IOException {
        headers.forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase()) && !name.equalsIgnoreCase("date")) {
                exchange.getResponseHeaders().put(name, values);
            }
        });
        if ("HEAD".equals(exchange.getRequestMethod())) {
            // the length of what a GET would return (S3 HeadObject's ContentLength), with no body
            headers.forEach((name, values) -> {
                if (name.equalsIgnoreCase("content-length")) exchange.getResponseHeaders().put("Content-Length", values);
            });
        }
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** Each entry as the event EventBridge delivers to a rule's target. */
    private void putEvents(String request) {
        JsonNode entries = read(request).path("Entries");
        for (JsonNode e : entries) {
            ObjectNode event = JSON.createObjectNode();
            event.put("version", "0").put("id", UUID.randomUUID().toString())
                    .put("detail-type", e.path("DetailType").asText()).put("source", e.path("Source").asText())
                    .put("account", account).put("time", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString())
                    .put("region", region);
            event.set("resources", e.has("Resources") ? e.get("Resources") : JSON.createArrayNode());
            event.set("detail", read(e.path("Detail").asText("{}")));
            String bus = e.path("EventBusName").asText("default");
            router.route(bus.contains("/") ? bus.substring(bus.lastIndexOf('/') + 1) : bus, event.toString());
        }
    }

    /** A Publish that moto took: the SNS event of each function subscribed to the topic. */
    private void published(Map<String, String> form, String response) {
        String topic = form.get("TopicArn");
        for (Subscription s : subscriptions) {
            if (!s.topicArn().equals(topic)) continue;
            ObjectNode sns = JSON.createObjectNode();
            sns.put("Type", "Notification").put("MessageId", between(response, "<MessageId>", "</MessageId>"))
                    .put("TopicArn", topic).put("Subject", form.get("Subject")).put("Message", form.get("Message"))
                    .put("Timestamp", Instant.now().toString()).put("SignatureVersion", "1")
                    .put("Signature", "").put("SigningCertUrl", "").put("UnsubscribeUrl", "");
            ObjectNode attributes = sns.putObject("MessageAttributes");
            for (int i = 1; form.containsKey("MessageAttributes.entry." + i + ".Name"); i++) {
                String prefix = "MessageAttributes.entry." + i + ".";
                attributes.putObject(form.get(prefix + "Name")).put("Type", form.get(prefix + "Value.DataType"))
                        .put("Value", form.get(prefix + "Value.StringValue"));
            }
            ObjectNode record = JSON.createObjectNode().put("EventSource", "aws:sns").put("EventVersion", "1.0")
                    .put("EventSubscriptionArn", topic + ":" + s.functionId());
            record.set("Sns", sns);
            ObjectNode event = JSON.createObjectNode();
            event.putArray("Records").add(record);
            router.invoke(s.functionId(), event.toString());
        }
    }

    private static Map<String, String> form(String body) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq < 0) continue;
            out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    private static String between(String text, String open, String close) {
        int from = text.indexOf(open);
        int to = from < 0 ? -1 : text.indexOf(close, from);
        return to < 0 ? UUID.randomUUID().toString() : text.substring(from + open.length(), to);
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
