package com.driftremediator.slack;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Slack endpoint on loopback: records what Slack would receive and answers as scripted
 * (429 with Retry-After, 500, slow answers), then as Slack does when all is well: "ok" for a webhook,
 * {"ok":true,"ts":...} for chat.postMessage.
 */
public final class FakeSlack implements AutoCloseable {
    public record Request(String path, Map<String, List<String>> headers, String body) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    public record Answer(int status, String retryAfter, String body, long delayMs) {
        public static Answer status(int status) {
            return new Answer(status, null, "", 0);
        }

        public static Answer tooManyRequests(int retryAfterSeconds) {
            return new Answer(429, Integer.toString(retryAfterSeconds), "", 0);
        }

        public static Answer slow(long delayMs) {
            return new Answer(200, null, null, delayMs);
        }

        public static Answer body(int status, String body) {
            return new Answer(status, null, body, 0);
        }
    }

    /** The path part of the webhook URL: this is the secret and must never be logged. */
    public static final String WEBHOOK_PATH = "/services/T0SECRET0/B0SECRET0/s3cr3tW3bh00kT0k3nXYZ";

    private final HttpServer server;
    private final List<Request> requests = new ArrayList<>();
    private final Deque<Answer> script = new ArrayDeque<>();
    private final AtomicInteger ts = new AtomicInteger();
    private Answer always;

    public FakeSlack() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Answer answer;
            synchronized (this) {
                requests.add(new Request(exchange.getRequestURI().getPath(), Map.copyOf(exchange.getRequestHeaders()), body));
                answer = !script.isEmpty() ? script.poll() : always;
            }
            if (answer == null) answer = Answer.slow(0);
            sleep(answer.delayMs());
            String reply = answer.body() != null ? answer.body() : exchange.getRequestURI().getPath().endsWith("chat.postMessage")
                    ? "{\"ok\":true,\"channel\":\"C0123456789\",\"ts\":\"1764252180.00010" + ts.incrementAndGet() + "\"}" : "ok";
            if (answer.retryAfter() != null) exchange.getResponseHeaders().add("Retry-After", answer.retryAfter());
            byte[] bytes = reply.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
    }

    public URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    public String webhookUrl() {
        return base().resolve(WEBHOOK_PATH).toString();
    }

    /** The next answers, in order; after them, the normal answer (or {@link #always}). */
    public synchronized FakeSlack answer(Answer... answers) {
        script.addAll(List.of(answers));
        return this;
    }

    public synchronized FakeSlack always(Answer answer) {
        always = answer;
        return this;
    }

    public synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    public synchronized void reset() {
        requests.clear();
        script.clear();
        always = null;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
