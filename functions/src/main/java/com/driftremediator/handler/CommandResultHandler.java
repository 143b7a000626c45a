package com.driftremediator.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.driftremediator.aws.AwsClients;
import com.driftremediator.aws.Settings;
import com.driftremediator.domain.RemediationResults;
import com.driftremediator.json.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CommandResultFunction: "EC2 Command Invocation Status-change Notification" of RedeployDocument. Reads the
 * invocation's summary, records it in the ledger once, and publishes the outcome when every target reported.
 */
public final class CommandResultHandler implements RequestStreamHandler {
    private final EventParser parser;
    private final RemediationResults results;

    public CommandResultHandler() {
        this(SnapStartPriming.Path.COMMAND_RESULT.primeBeforeSnapshot(
                new AwsWiring(Settings.fromSystem(), AwsClients.fromEnvironment())));
    }

    public CommandResultHandler(AwsWiring w) {
        this(w.parser(), w.remediationResults());
    }

    public CommandResultHandler(EventParser parser, RemediationResults results) {
        this.parser = parser;
        this.results = results;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Log log = new Log(context);
        EventParser.Parsed parsed = parser.commandResult(new String(input.readAllBytes(), StandardCharsets.UTF_8));
        Map<String, Object> response;
        if (parsed instanceof EventParser.Result r) {
            log.info("result of " + r.commandId() + " on " + r.target() + ": " + r.status());
            // a command SSM or the ledger does not know is logged and ignored, never failed (retries, then the DLQ)
            RemediationResults.Recorded recorded = results.record(r.commandId(), r.target());
            log.info(recorded.note());
            response = new LinkedHashMap<>();
            response.put("commandId", r.commandId());
            response.put("instanceId", r.target().instanceId());
            response.put("status", r.status());
            response.put("note", recorded.note());
            response.put("published", recorded.published().map(ResponseJson::report).orElse(null));
        } else {
            String reason = parsed instanceof EventParser.Ignored i ? i.reason() : "not a command result";
            log.info("ignored: " + reason);
            response = ResponseJson.ignored(reason);
        }
        String json = Json.write(response);
        log.info("result: " + json);
        output.write(json.getBytes(StandardCharsets.UTF_8));
    }
}
