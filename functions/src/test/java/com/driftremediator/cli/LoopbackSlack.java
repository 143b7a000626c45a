package com.driftremediator.cli;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A Slack incoming webhook on loopback: answers {@code ok} as Slack does and keeps every body posted to it. */
final class LoopbackSlack implements AutoCloseable {
    private final HttpServer server;
    private final List<String> posts = new CopyOnWriteArrayList<>();

    private LoopbackSlack(HttpServer server) {
        this.server = server;
    }

    static LoopbackSlack start() throws IOException {
        LoopbackSlack slack = new LoopbackSlack(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8));
        slack.server.createContext("/hook", exchange -> {
            slack.posts.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] ok = "ok".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, ok.length);
            exchange.getResponseBody().write(ok);
            exchange.close();
        });
        slack.server.start();
        return slack;
    }

    /** The webhook URL to give the stack (SlackWebhookUrl). */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    List<String> posts() {
        return posts;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
