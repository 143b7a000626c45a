package bench.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The loopback Runtime API, called as the runtime interface client calls it. */
class RuntimeApiTest {
    private final RuntimeApi api = newApi();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void close() {
        api.close();
    }

    @Test
    void nextHandsOutTheQueuedEventWithTheLambdaHeaders() throws Exception {
        RuntimeApi.Invocation invocation = api.submit("{\"detail\":1}");

        HttpResponse<String> next = http.send(get("invocation/next"), HttpResponse.BodyHandlers.ofString());

        assertThat(next.body()).isEqualTo("{\"detail\":1}");
        assertThat(next.headers().firstValue("Lambda-Runtime-Aws-Request-Id")).hasValue(invocation.id);
        assertThat(Long.parseLong(next.headers().firstValue("Lambda-Runtime-Deadline-Ms").orElseThrow()))
                .isGreaterThan(System.currentTimeMillis());
        assertThat(next.headers().firstValue("Lambda-Runtime-Invoked-Function-Arn")).isPresent();
        assertThat(invocation.delivered).isPositive();
        assertThat(api.firstPoll()).isDone();
    }

    @Test
    void aResponseCompletesItsInvocationAndAnErrorIsMarked() throws Exception {
        RuntimeApi.Invocation ok = api.submit("{}");
        RuntimeApi.Invocation failing = api.submit("{}");
        http.send(get("invocation/next"), HttpResponse.BodyHandlers.discarding());
        http.send(get("invocation/next"), HttpResponse.BodyHandlers.discarding());

        int status = http.send(post("invocation/" + ok.id + "/response", "{\"ok\":true}"),
                HttpResponse.BodyHandlers.discarding()).statusCode();
        http.send(post("invocation/" + failing.id + "/error", "{\"errorMessage\":\"boom\"}"),
                HttpResponse.BodyHandlers.discarding());

        assertThat(status).isEqualTo(202);
        RuntimeApi.Answer answer = ok.done.get(5, TimeUnit.SECONDS);
        assertThat(answer.error()).isFalse();
        assertThat(answer.body()).isEqualTo("{\"ok\":true}");
        assertThat(answer.at()).isGreaterThanOrEqualTo(ok.delivered);
        assertThat(failing.done.get(5, TimeUnit.SECONDS).error()).isTrue();
    }

    @Test
    void anInitErrorFailsStartUpAndWhatWasWaiting() throws Exception {
        RuntimeApi.Invocation waiting = api.submit("{}");

        http.send(post("init/error", "{\"errorType\":\"ClassNotFound\"}"), HttpResponse.BodyHandlers.discarding());

        assertThatThrownBy(() -> api.firstPoll().get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasMessageContaining("ClassNotFound");
        assertThatThrownBy(() -> waiting.done.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
    }

    @Test
    void restoreNextIsHeldAsTheSnapshotUntilTheHarnessRestores() throws Exception {
        CompletableFuture<HttpResponse<Void>> restoreNext = http.sendAsync(get("restore/next"),
                HttpResponse.BodyHandlers.discarding());

        assertThat(api.checkpoint().get(5, TimeUnit.SECONDS)).isPositive();
        assertThatThrownBy(() -> restoreNext.get(300, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);

        api.restore();

        assertThat(restoreNext.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }

    @Test
    void credentialsAreServedOnlyWithTheContainerToken() throws Exception {
        HttpRequest.Builder credentials = HttpRequest.newBuilder(URI.create(api.credentialsUri()));

        HttpResponse<String> without = http.send(credentials.build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> with = http.send(credentials.header("Authorization", RuntimeApi.CREDENTIALS_TOKEN).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(without.statusCode()).isEqualTo(403);
        assertThat(with.statusCode()).isEqualTo(200);
        assertThat(with.body()).contains("\"AccessKeyId\"").contains("\"Expiration\"");
    }

    private HttpRequest get(String path) {
        return HttpRequest.newBuilder(URI.create("http://" + api.address() + "/2018-06-01/runtime/" + path)).build();
    }

    private HttpRequest post(String path, String body) {
        return HttpRequest.newBuilder(URI.create("http://" + api.address() + "/2018-06-01/runtime/" + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static RuntimeApi newApi() {
        try {
            return new RuntimeApi();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
