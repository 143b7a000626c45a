package com.driftremediator.testing;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;

/**
 * The moto server (AWS API emulator) on a free loopback port, started from the project .venv.
 * One per test class: {@code static final MotoServer MOTO = MotoServer.start();} and {@link #reset()} per test.
 */
public final class MotoServer implements AutoCloseable {
    public static final Region REGION = Region.EU_WEST_1;
    public static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));

    private final Process process;
    private final int port;

    private MotoServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static MotoServer start() {
        int port = freePort();
        try {
            Path log = Path.of("target", "moto-" + port + ".log").toAbsolutePath();
            log.getParent().toFile().mkdirs();
            Process p = new ProcessBuilder(ProjectPaths.venvTool("moto_server").toString(), "-H", "127.0.0.1",
                    "-p", Integer.toString(port))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            MotoServer server = new MotoServer(p, port);
            Runtime.getRuntime().addShutdownHook(new Thread(p::destroy));
            server.awaitUp(Duration.ofSeconds(30));
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("could not start moto_server", e);
        }
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    /** Points any SDK v2 client builder at this server, with the URL-connection client and no retries. */
    public <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C client(B builder) {
        return builder.endpointOverride(endpoint()).region(REGION).credentialsProvider(CREDENTIALS)
                .overrideConfiguration(ClientOverrideConfiguration.builder().retryStrategy(RetryMode.STANDARD).build())
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
    }

    /** Clears every resource in the emulator (POST /moto-api/reset). */
    public void reset() {
        request("POST", "/moto-api/reset");
    }

    /** moto's state dump (sent commands, published messages...), as JSON text. */
    public String data() {
        try {
            HttpURLConnection c = (HttpURLConnection) endpoint().resolve("/moto-api/data.json").toURL().openConnection();
            try (var in = c.getInputStream()) {
                return new String(in.readAllBytes());
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private int request(String method, String path) {
        try {
            HttpURLConnection c = (HttpURLConnection) endpoint().resolve(path).toURL().openConnection();
            c.setRequestMethod(method);
            return c.getResponseCode();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void awaitUp(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) throw new IllegalStateException("moto_server exited: " + process.exitValue());
            try {
                if (request("GET", "/moto-api/data.json") == 200) return;
            } catch (IllegalStateException notYet) {
                // not listening yet
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new IllegalStateException("moto_server did not answer within " + timeout);
    }

    /** A loopback port nothing listens on right now (for servers the tests start). */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        process.destroy();
    }
}
