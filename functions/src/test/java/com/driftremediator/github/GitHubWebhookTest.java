package com.driftremediator.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

class GitHubWebhookTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "test-webhook-secret";
    private static final String ZERO = "0".repeat(40);
    // The octokit examples push to Codertocat/Hello-World.
    private static final WebhookSettings SETTINGS = new WebhookSettings("Codertocat/Hello-World", "master", 64 * 1024);

    private final WebhookFakes.Secrets secrets = new WebhookFakes.Secrets(SECRET);
    private final WebhookFakes.Deliveries deliveries = new WebhookFakes.Deliveries();
    private final WebhookFakes.Bus bus = new WebhookFakes.Bus();
    private final MutableClock clock = new MutableClock();

    private GitHubWebhook webhook(WebhookSettings settings) {
        return new GitHubWebhook(settings, secrets, deliveries, bus, clock, Duration.ofSeconds(10));
    }

    private final GitHubWebhook webhook = webhook(SETTINGS);

    // --- real payloads from @octokit/webhooks-examples -------------------------------------------------------

    @Test
    void forwardsABranchCreationWithItsHeadCommit() throws IOException {
        String delivery = UUID.randomUUID().toString();
        WebhookResponse r = webhook.handle(signed("push", octokit("push-branch-created.json"), delivery));

        assertThat(r.status()).isEqualTo(202);
        assertThat(r.result()).isEqualTo("accepted");
        assertThat(r.reason()).contains("6113728", "master");
        assertThat(bus.published).containsExactly(new GitPush("Codertocat/Hello-World", "refs/heads/master", "master",
                ZERO, "6113728f27ae82c7b1a177c8d03f9e96e0adf246", 1557933657L, false, "Codertocat", "Initial commit",
                "https://github.com/Codertocat/Hello-World/commit/6113728f27ae82c7b1a177c8d03f9e96e0adf246", delivery));
    }

    @Test
    void forwardsAPushOnAnExistingBranch() throws IOException {
        // The package has no plain branch push: the creation example with a real `before`.
        ObjectNode p = octokitTree("push-branch-created.json");
        p.put("before", "a10867b14bb761a232cd80139fbd4c0d33264240").put("created", false);

        assertThat(webhook.handle(signed("push", p.toString())).status()).isEqualTo(202);
        assertThat(bus.published).singleElement()
                .satisfies(push -> assertThat(push.before()).isEqualTo("a10867b14bb761a232cd80139fbd4c0d33264240"));
    }

    @Test
    void ignoresATagCreation() throws IOException {
        WebhookResponse r = webhook.handle(signed("push", octokit("push-tag-created.json")));

        assertThat(r).isEqualTo(WebhookResponse.ignored("tag simple-tag is not a branch"));
        assertThat(bus.published).isEmpty();
        assertThat(deliveries.ids).as("ignored pushes are not recorded").isEmpty();
    }

    @Test
    void ignoresATagDeletion() throws IOException {
        WebhookResponse r = webhook.handle(signed("push", octokit("push-tag-deleted.json")));

        assertThat(r).isEqualTo(WebhookResponse.ignored("tag simple-tag is not a branch"));
        assertThat(bus.published).isEmpty();
    }

    @Test
    void ignoresABranchDeletionWhoseAfterIsTheZeroSha() throws IOException {
        // The package has no branch deletion: the tag deletion example on the branch's ref.
        ObjectNode p = octokitTree("push-tag-deleted.json");
        p.put("ref", "refs/heads/master");

        WebhookResponse r = webhook.handle(signed("push", p.toString()));

        assertThat(r).isEqualTo(WebhookResponse.ignored("branch master was deleted: nothing to deploy"));
        assertThat(bus.published).isEmpty();
    }

    @Test
    void ignoresAnotherBranch() throws IOException {
        WebhookResponse r = webhook(new WebhookSettings("Codertocat/Hello-World", "main", 65536))
                .handle(signed("push", octokit("push-branch-created.json")));

        assertThat(r).isEqualTo(WebhookResponse.ignored("branch master is not main"));
        assertThat(bus.published).isEmpty();
    }

    @Test
    void ignoresAnotherRepository() throws IOException {
        WebhookResponse r = webhook(new WebhookSettings("example/streamr-p2p", "master", 65536))
                .handle(signed("push", octokit("push-branch-created.json")));

        assertThat(r).isEqualTo(WebhookResponse.ignored("repository Codertocat/Hello-World is not example/streamr-p2p"));
        assertThat(bus.published).isEmpty();
    }

    @Test
    void matchesTheRepositoryNameWithoutRegardToCase() throws IOException {
        WebhookResponse r = webhook(new WebhookSettings("codertocat/hello-world", "master", 65536))
                .handle(signed("push", octokit("push-branch-created.json")));

        assertThat(r.status()).isEqualTo(202);
    }

    @Test
    void answersPing() throws IOException {
        WebhookResponse r = webhook(new WebhookSettings("Octocoders/Hello-World", "main", 65536))
                .handle(signed("ping", octokit("ping.json")));

        assertThat(r).isEqualTo(new WebhookResponse(200, "pong",
                "pushes to main of Octocoders/Hello-World are forwarded"));
    }

    @Test
    void pingOfAWebhookOnAnotherRepositorySaysSo() throws IOException {
        WebhookResponse r = webhook.handle(signed("ping", octokit("ping.json")));

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.reason()).endsWith("but this webhook is on Octocoders/Hello-World");
    }

    @Test
    void acknowledgesOtherEventsWithoutForwarding() {
        WebhookResponse r = webhook.handle(signed("issues", "{\"action\":\"opened\"}"));

        assertThat(r).isEqualTo(WebhookResponse.ignored("event issues is not handled, only push"));
        assertThat(bus.published).isEmpty();
    }

    // --- signature ----------------------------------------------------------------------------------------------

    @Test
    void rejectsAMissingSignatureWithoutReadingTheSecret() throws IOException {
        Map<String, String> headers = headers("push", UUID.randomUUID().toString());
        WebhookResponse r = webhook.handle(new WebhookRequest(headers, octokit("push-branch-created.json"), false));

        assertThat(r.status()).isEqualTo(401);
        assertThat(secrets.reads).isZero();
        assertThat(bus.published).isEmpty();
    }

    @Test
    void rejectsAWrongSignatureBeforeLookingAtTheBody() {
        Map<String, String> headers = headers("push", UUID.randomUUID().toString());
        headers.put("x-hub-signature-256", sign("not the secret", "not json".getBytes(StandardCharsets.UTF_8)));

        WebhookResponse r = webhook.handle(new WebhookRequest(headers, "not json", false));

        assertThat(r).isEqualTo(WebhookResponse.unauthorized("X-Hub-Signature-256 does not match the body"));
    }

    @Test
    void rejectsASignatureOfAnotherBody() throws IOException {
        String body = octokit("push-branch-created.json");
        WebhookRequest original = signed("push", body);
        WebhookRequest tampered = new WebhookRequest(original.headers(), body.replace("6113728f", "deadbeef"), false);

        assertThat(webhook.handle(tampered).status()).isEqualTo(401);
        assertThat(bus.published).isEmpty();
    }

    @Test
    void readsHeadersWhateverTheirCase() throws IOException {
        String body = octokit("push-branch-created.json");
        Map<String, String> headers = Map.of("X-GITHUB-EVENT", "push", "X-GitHub-Delivery", UUID.randomUUID().toString(),
                "X-Hub-Signature-256", sign(SECRET, body.getBytes(StandardCharsets.UTF_8)));

        assertThat(webhook.handle(new WebhookRequest(headers, body, false)).status()).isEqualTo(202);
    }

    @Test
    void rereadsTheSecretWhenASignatureFailsAndKeepsTheRotatedOne() throws IOException {
        assertThat(webhook.handle(signed("push", octokit("push-tag-created.json"))).status()).isEqualTo(200);
        secrets.value = "rotated-secret";
        clock.advance(Duration.ofMinutes(5));

        assertThat(webhook.handle(signedWith("rotated-secret", octokit("push-branch-created.json"))).status())
                .isEqualTo(202);
        assertThat(webhook.handle(signedWith("rotated-secret", octokit("push-tag-created.json"))).status())
                .isEqualTo(200);
        assertThat(secrets.reads).as("read at the first delivery and once after the rotation").isEqualTo(2);
        assertThat(webhook.handle(signed("push", octokit("push-tag-created.json"))).status())
                .as("the old secret no longer signs").isEqualTo(401);
    }

    @Test
    void spacesSecretReReadsSoForgeriesCannotFloodSecretsManager() {
        for (int i = 0; i < 5; i++) {
            assertThat(webhook.handle(forged()).status()).isEqualTo(401);
        }
        assertThat(secrets.reads).isEqualTo(1);

        clock.advance(Duration.ofSeconds(11));
        assertThat(webhook.handle(forged()).status()).isEqualTo(401);
        assertThat(secrets.reads).isEqualTo(2);
    }

    // --- bodies -------------------------------------------------------------------------------------------------

    @Test
    void verifiesTheDecodedBytesOfABase64Body() throws IOException {
        String body = octokit("push-branch-created.json");
        WebhookRequest plain = signed("push", body);
        String encoded = Base64.getEncoder().encodeToString(body.getBytes(StandardCharsets.UTF_8));

        assertThat(webhook.handle(new WebhookRequest(plain.headers(), encoded, true)).status()).isEqualTo(202);
    }

    @Test
    void rejectsABodyMarkedBase64ThatIsNot() throws IOException {
        WebhookRequest r = signed("push", octokit("push-branch-created.json"));

        assertThat(webhook.handle(new WebhookRequest(r.headers(), "{not base64}", true)).status()).isEqualTo(400);
    }

    @Test
    void signsNonAsciiBodiesAsUtf8() throws IOException {
        ObjectNode p = octokitTree("push-branch-created.json");
        ((ObjectNode) p.get("head_commit")).put("message", "Corrige le café ☕ et le bogue 🐛");

        assertThat(webhook.handle(signed("push", p.toString())).status()).isEqualTo(202);
        assertThat(bus.published.get(0).message()).isEqualTo("Corrige le café ☕ et le bogue 🐛");
    }

    @Test
    void answers413ForABodyOverTheLimitWithoutReadingTheSecret() {
        GitHubWebhook small = webhook(new WebhookSettings("Codertocat/Hello-World", "master", 1000));
        String over = "{\"pad\":\"" + "é".repeat(500) + "\"}"; // 510 characters, 1010 bytes

        assertThat(small.handle(signed("push", over)).status()).isEqualTo(413);
        String encoded = Base64.getEncoder().encodeToString(over.getBytes(StandardCharsets.UTF_8));
        assertThat(small.handle(new WebhookRequest(signed("push", over).headers(), encoded, true)).status()).isEqualTo(413);
        assertThat(secrets.reads).isZero();

        String within = "{\"pad\":\"" + "x".repeat(1000 - 10) + "\"}";
        assertThat(within.length()).isEqualTo(1000);
        assertThat(small.handle(signed("push", within)).status()).as("1000 bytes pass, then fail as a push").isEqualTo(400);
    }

    @Test
    void answers400ForSignedBodiesThatAreNotTheNamedEvent() {
        assertThat(webhook.handle(signed("push", "payload=%7B%7D")).reason()).contains("application/json");
        assertThat(webhook.handle(signed("push", "[1,2]")).status()).isEqualTo(400);
        assertThat(webhook.handle(signed("push", "{\"ref\":\"refs/heads/master\"} trailing")).status()).isEqualTo(400);
        assertThat(webhook.handle(signed("push", "{\"zen\":\"hi\"}")).reason()).startsWith("not a push event");
        assertThat(webhook.handle(signed("ping", "{\"zen\":\"hi\"}")).reason()).isEqualTo("not a ping event: no hook_id");
        assertThat(webhook.handle(signed("push", "{\"ref\":\"refs/heads/master\",\"before\":\"" + ZERO
                + "\",\"after\":\"HEAD\",\"repository\":{\"full_name\":\"Codertocat/Hello-World\"}}")).reason())
                .contains("40-hex");
        assertThat(bus.published).isEmpty();
    }

    @Test
    void answers400WithoutTheEventHeader() throws IOException {
        String body = octokit("push-branch-created.json");
        Map<String, String> headers = Map.of("x-hub-signature-256", sign(SECRET, body.getBytes(StandardCharsets.UTF_8)));

        assertThat(webhook.handle(new WebhookRequest(headers, body, false)))
                .isEqualTo(WebhookResponse.badRequest("missing X-GitHub-Event"));
    }

    // --- replays and failures -----------------------------------------------------------------------------------

    @Test
    void acknowledgesAReplayedDeliveryWithoutForwardingItAgain() throws IOException {
        WebhookRequest request = signed("push", octokit("push-branch-created.json"));

        assertThat(webhook.handle(request).status()).isEqualTo(202);
        WebhookResponse replay = webhook.handle(request);

        assertThat(replay.status()).isEqualTo(200);
        assertThat(replay.result()).isEqualTo("duplicate");
        assertThat(replay.reason()).startsWith("duplicate delivery");
        assertThat(bus.published).hasSize(1);
    }

    @Test
    void rejectsAPushWithoutDeliveryId() throws IOException {
        String body = octokit("push-branch-created.json");
        Map<String, String> headers = Map.of("x-github-event", "push",
                "x-hub-signature-256", sign(SECRET, body.getBytes(StandardCharsets.UTF_8)));

        assertThat(webhook.handle(new WebhookRequest(headers, body, false)))
                .isEqualTo(WebhookResponse.badRequest("missing or malformed X-GitHub-Delivery"));
    }

    @Test
    void forgetsADeliveryItCouldNotForwardSoARedeliveryGoesThrough() throws IOException {
        WebhookRequest request = signed("push", octokit("push-branch-created.json"));
        bus.failure = new IllegalStateException("EventBridge refused the Git Push event: InternalFailure");

        assertThatThrownBy(() -> webhook.handle(request)).hasMessageContaining("InternalFailure");
        assertThat(deliveries.ids).isEmpty();

        bus.failure = null;
        assertThat(webhook.handle(request).status()).isEqualTo(202);
    }

    // --- the Git Push event -------------------------------------------------------------------------------------

    @Test
    void forwardsASmallEventWhateverThePayloadSize() throws IOException {
        GitHubWebhook big = webhook(new WebhookSettings("Codertocat/Hello-World", "master",
                WebhookSettings.FUNCTION_URL_MAX_BODY));
        ObjectNode p = octokitTree("push-branch-created.json");
        ((ObjectNode) p.get("head_commit")).put("message", "m".repeat(2_000_000));
        p.put("compare", "https://github.com/" + "c".repeat(100_000));
        ((ObjectNode) p.get("pusher")).put("name", "p".repeat(100_000));
        ArrayNode commits = (ArrayNode) p.get("commits");
        for (int i = 0; i < 2000; i++) {
            commits.add(((ObjectNode) p.get("head_commit").deepCopy()).put("message", "x".repeat(1000)));
        }

        assertThat(big.handle(signed("push", p.toString())).status()).isEqualTo(202);
        GitPush push = bus.published.get(0);
        assertThat(push.message()).hasSize(GitPush.MAX_MESSAGE).endsWith("…");
        assertThat(push.detailJson().getBytes(StandardCharsets.UTF_8).length).isLessThan(5 * 1024);
        assertThat(JSON.readTree(push.detailJson()).properties()).extracting(Map.Entry::getKey).containsExactly(
                "repository", "ref", "branch", "before", "after", "pushedAt", "forced", "pusher", "message", "compareUrl",
                "delivery");
    }

    @Test
    void cutsTextWithoutSplittingASurrogatePair() {
        String text = "a".repeat(498) + "🐛🐛";
        String cut = GitPush.cut(text, 500);

        assertThat(cut).isEqualTo("a".repeat(498) + "…");
        assertThat(GitPush.cut("short", 500)).isEqualTo("short");
        assertThat(GitPush.cut(null, 500)).isNull();
    }

    // --- helpers ------------------------------------------------------------------------------------------------

    /** A payload from src/test/resources/octokit (see the README there). */
    private static String octokit(String name) throws IOException {
        try (InputStream in = GitHubWebhookTest.class.getResourceAsStream("/octokit/" + name)) {
            if (in == null) throw new IOException("no test resource octokit/" + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static ObjectNode octokitTree(String name) throws IOException {
        return (ObjectNode) JSON.readTree(octokit(name));
    }

    private static WebhookRequest signed(String event, String body) {
        return signed(event, body, UUID.randomUUID().toString());
    }

    private static WebhookRequest signed(String event, String body, String delivery) {
        Map<String, String> headers = headers(event, delivery);
        headers.put("x-hub-signature-256", sign(SECRET, body.getBytes(StandardCharsets.UTF_8)));
        return new WebhookRequest(headers, body, false);
    }

    private static WebhookRequest signedWith(String secret, String body) {
        Map<String, String> headers = headers("push", UUID.randomUUID().toString());
        headers.put("x-hub-signature-256", sign(secret, body.getBytes(StandardCharsets.UTF_8)));
        return new WebhookRequest(headers, body, false);
    }

    private static WebhookRequest forged() {
        Map<String, String> headers = headers("push", UUID.randomUUID().toString());
        headers.put("x-hub-signature-256", sign("guess", "{}".getBytes(StandardCharsets.UTF_8)));
        return new WebhookRequest(headers, "{}", false);
    }

    private static Map<String, String> headers(String event, String delivery) {
        Map<String, String> headers = new HashMap<>();
        headers.put("content-type", "application/json");
        headers.put("x-github-event", event);
        headers.put("x-github-delivery", delivery);
        return headers;
    }

    private static String sign(String secret, byte[] body) {
        return WebhookSignature.sign(secret.getBytes(StandardCharsets.UTF_8), body);
    }

    private static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-11-26T14:03:22Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
