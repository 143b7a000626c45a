package com.driftremediator.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** HTTP GETs against the sandbox app, with short timeouts: a stopped app is an answer, not an error. */
final class Probe {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Probe() {
    }

    /** The HTTP status, or 0 when nothing answered. */
    static int status(URI uri) {
        return get(uri).map(HttpResponse::statusCode).orElse(0);
    }

    static Optional<HttpResponse<String>> get(URI uri) {
        try {
            return Optional.of(HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(3)).GET().build(),
                    HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
