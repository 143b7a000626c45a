package bench.harness;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A loopback Lambda Runtime API (the subset the runtime interface client uses): {@code GET .../invocation/next}
 * hands out queued events with the Lambda headers, {@code POST .../invocation/ID/response|error} completes them,
 * {@code POST .../init/error} fails start-up. For SnapStart, {@code GET .../restore/next} is where Lambda takes the
 * snapshot: it is held until the harness calls {@link #restore()}, and {@code /credentials} stands in for the
 * container credentials endpoint. Times are System.nanoTime() values taken in the server.
 */
final class RuntimeApi implements AutoCloseable {
    private static final String PREFIX = "/2018-06-01/runtime/";
    static final String CREDENTIALS_TOKEN = "bench-container-token";

    /** One event in flight; {@code delivered} is when the event left for the handler, {@code done} its answer. */
    static final class Invocation {
        final String id = UUID.randomUUID().toString();
        final byte[] event;
        volatile long delivered;
        final CompletableFuture<Answer> done = new CompletableFuture<>();

        Invocation(String event) {
            this.event = event.getBytes(StandardCharsets.UTF_8);
        }
    }

    record Answer(long at, boolean error, String body) {
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "runtime-api");
        t.setDaemon(true);
        return t;
    });
    private final BlockingQueue<Invocation> queue = new LinkedBlockingQueue<>();
    private final java.util.Map<String, Invocation> inFlight = new java.util.concurrent.ConcurrentHashMap<>();
    private final CompletableFuture<Long> firstPoll = new CompletableFuture<>();
    private final CompletableFuture<Long> checkpoint = new CompletableFuture<>();
    private final java.util.concurrent.CountDownLatch restored = new java.util.concurrent.CountDownLatch(1);

    RuntimeApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext(PREFIX, this::handle);
        server.createContext("/credentials", this::credentials);
        server.setExecutor(threads);
        server.start();
    }

    String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    Invocation submit(String event) {
        Invocation invocation = new Invocation(event);
        inFlight.put(invocation.id, invocation);
        queue.add(invocation);
        return invocation;
    }

    String credentialsUri() {
        return "http://" + address() + "/credentials";
    }

    /** nanoTime of the runtime's {@code restore/next} call: init and the checkpoint hooks are done. */
    CompletableFuture<Long> checkpoint() {
        return checkpoint;
    }

    /** Answers the held {@code restore/next}: the runtime goes on as in an environment restored from the snapshot. */
    void restore() {
        restored.countDown();
    }

    /** nanoTime of the first {@code next} call: the runtime finished its own start-up and the handler's init. */
    CompletableFuture<Long> firstPoll() {
        return firstPoll;
    }

    private void handle(HttpExchange exchange) throws IOException {
        long now = System.nanoTime();
        String path = exchange.getRequestURI().getPath().substring(PREFIX.length());
        try (exchange) {
            if (exchange.getRequestMethod().equals("GET") && path.equals("invocation/next")) {
                firstPoll.complete(now);
                Invocation invocation;
                try {
                    invocation = queue.take();
                } catch (InterruptedException e) {
                    return; // harness closing
                }
                var headers = exchange.getResponseHeaders();
                headers.set("Content-Type", "application/json");
                headers.set("Lambda-Runtime-Aws-Request-Id", invocation.id);
                headers.set("Lambda-Runtime-Deadline-Ms", Long.toString(System.currentTimeMillis() + 60_000));
                headers.set("Lambda-Runtime-Invoked-Function-Arn",
                        "arn:aws:lambda:eu-west-1:123456789012:function:bench");
                headers.set("Lambda-Runtime-Trace-Id", "Root=1-00000000-000000000000000000000000;Sampled=0");
                invocation.delivered = System.nanoTime();
                exchange.sendResponseHeaders(200, invocation.event.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(invocation.event);
                }
                return;
            }
            if (exchange.getRequestMethod().equals("GET") && path.equals("restore/next")) {
                checkpoint.complete(now);
                try {
                    restored.await();
                } catch (InterruptedException e) {
                    return; // harness closing
                }
                exchange.sendResponseHeaders(200, -1);
                return;
            }
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (path.equals("init/error")) {
                firstPoll.completeExceptionally(new IllegalStateException("init error: " + body));
                inFlight.values().forEach(i -> i.done.completeExceptionally(new IllegalStateException("init error: " + body)));
            } else if (path.startsWith("invocation/")) {
                String[] parts = path.split("/");
                Invocation invocation = inFlight.remove(parts[1]);
                if (invocation != null) invocation.done.complete(new Answer(now, parts[2].equals("error"), body));
            }
            exchange.sendResponseHeaders(202, -1);
        }
    }

    /** The container credentials endpoint, as the SDK's ContainerCredentialsProvider calls it. */
    private void credentials(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!CREDENTIALS_TOKEN.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                exchange.sendResponseHeaders(403, -1);
                return;
            }
            byte[] body = ("{\"AccessKeyId\":\"testing\",\"SecretAccessKey\":\"testing\",\"Token\":\"testing\","
                    + "\"Expiration\":\"" + java.time.Instant.now().plusSeconds(3600) + "\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    @Override
    public void close() {
        restored.countDown();
        server.stop(0);
        threads.shutdownNow();
        try {
            threads.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
