package bench.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import java.net.URI;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.driftremediator.aws.AwsClients;
import com.driftremediator.aws.Settings;
import com.driftremediator.domain.Target;
import com.driftremediator.domain.Trigger;
import com.driftremediator.handler.AwsWiring;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Our functions as the template deploys them: handler, environment, and an event that runs their full path. */
final class Functions {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final URI aws;
    private final Fixture fixture;
    private final Template template;
    private final Path root;

    Functions(URI aws, Fixture fixture, Template template, Path root) {
        this.aws = aws;
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
        // The instances are emulated: nothing serves on their private addresses, and nothing may be sent there.
        env.remove("SERVED_URL");
        Supplier<String> event;
        Runnable beforeEach;
        switch (id) {
            case "DriftCheckFunction" -> {
                event = fixture::cloudFormationEvent;
                beforeEach = fixture::clearLedger;
            }
            case "CommandResultFunction" -> {
                CommandResultState state = new CommandResultState(env);
                event = () -> fixture.commandInvocationEvent(state.commandId, fixture.instanceIds.get(1));
                beforeEach = state::prepare;
            }
            case "GitHubWebhookFunction" -> {
                event = gitHubPush();
                beforeEach = () -> { };
            }
            default -> throw new IllegalStateException("no benchmark event for " + id);
        }
        return new Subject(id, taskRoot, handler, Map.copyOf(env), event, beforeEach);
    }

    /**
     * The ledger as the real flow leaves it before the last target's result arrives: a drift check sent the
     * redeploy to both instances and the first instance's result is recorded. The event for the second instance
     * then runs CommandResultFunction's full path: read the output, verify, complete the attempt, publish.
     * Made once in-process with the functions' own use cases, then restored before every invocation.
     */
    private final class CommandResultState {
        private final AwsWiring wiring;
        private String commandId;
        private List<Map<String, AttributeValue>> snapshot;

        CommandResultState(Map<String, String> env) {
            Map<String, String> settings = new java.util.HashMap<>(env);
            settings.putAll(template.environment("DriftCheckFunction", fixture::physical));
            settings.remove("SERVED_URL");
            wiring = new AwsWiring(new Settings(settings), new AwsClients(Region.of(Launcher.REGION),
                    StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")), aws));
        }

        void prepare() {
            if (snapshot == null) {
                fixture.clearLedger();
                commandId = wiring.driftCheck().run(new Trigger(Trigger.Kind.STACK_COMPLETE, null, "benchmark")).commandId();
                if (commandId == null) throw new IllegalStateException("the drift check sent no command to prepare a result");
                wiring.remediationResults().record(commandId, new Target(fixture.instanceIds.get(0)));
                snapshot = fixture.ledgerItems();
            }
            fixture.restoreLedger(snapshot);
        }
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
