package bench.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Our functions as the template deploys them: handler, environment, and an event that runs their full path. */
final class Functions {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Moto moto;
    private final Fixture fixture;
    private final Template template;
    private final Path root;

    Functions(Moto moto, Fixture fixture, Template template, Path root) {
        this.moto = moto;
        this.fixture = fixture;
        this.template = template;
        this.root = root;
    }

    /** The subject for a template function, or null when the template or the package does not have it yet. */
    Subject subject(String id, Path taskRoot) throws IOException {
        if (!template.hasFunction(id)) return null;
        String handler = template.handler(id);
        String className = handler.split("::")[0];
        if (!Files.exists(taskRoot.resolve(className.replace('.', '/') + ".class"))) return null;
        Map<String, String> env = new java.util.LinkedHashMap<>(template.environment(id, fixture::physical));
        env.remove("JAVA_TOOL_OPTIONS"); // the Runtime under test sets it
        Supplier<String> event;
        Runnable beforeEach;
        switch (id) {
            case "DriftCheckFunction" -> {
                event = fixture::cloudFormationEvent;
                beforeEach = fixture::clearLedger;
            }
            case "GitHubWebhookFunction" -> {
                env.put("WEBHOOK_SECRET_ID", fixture.secretId);
                env.put("GITHUB_REPOSITORY", Fixture.REPOSITORY);
                env.put("GITHUB_BRANCH", Fixture.BRANCH);
                event = gitHubPush();
                beforeEach = () -> { };
            }
            default -> throw new IllegalStateException("no benchmark event for " + id);
        }
        return new Subject(id, taskRoot, handler, Map.copyOf(env), event, beforeEach);
    }

    /** events/github-push.json, re-signed with the provisioned secret, with a fresh delivery id each time. */
    private Supplier<String> gitHubPush() throws IOException {
        ObjectNode event = (ObjectNode) JSON.readTree(root.resolve("events/github-push.json").toFile());
        String body = event.get("body").asText();
        String signature = "sha256=" + hmac(Fixture.WEBHOOK_SECRET, body);
        return () -> {
            ObjectNode e = event.deepCopy();
            ObjectNode headers = (ObjectNode) e.get("headers");
            headers.put("x-hub-signature-256", signature);
            headers.remove("x-hub-signature");
            headers.put("x-github-delivery", UUID.randomUUID().toString());
            return e.toString();
        };
    }

    private static String hmac(String secret, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
