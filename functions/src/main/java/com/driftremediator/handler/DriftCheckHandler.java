package com.driftremediator.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.driftremediator.aws.AwsClients;
import com.driftremediator.aws.Settings;
import com.driftremediator.aws.StackRevisionSource;
import com.driftremediator.domain.DriftCheck;
import com.driftremediator.domain.RemediationResults;
import com.driftremediator.domain.Trigger;
import com.driftremediator.json.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * DriftCheckFunction: CloudFormation stack status changes of the app stack, "Git Push" events from
 * RemediationBus, CodeCommit reference updates, the schedule and {"action":"check"} start a drift check.
 * Unknown or foreign events are answered with the reason they were ignored. AWS failures propagate, so
 * Lambda's asynchronous retries and the on-failure destination take over.
 */
public final class DriftCheckHandler implements RequestStreamHandler {
    private final EventParser parser;
    private final DriftCheck check;
    private final RemediationResults results;
    private final StackRevisionSource stack;
    private final Duration reconcileAfter;

    public DriftCheckHandler() {
        this(SnapStartPriming.Path.DRIFT_CHECK.primeBeforeSnapshot(
                new AwsWiring(Settings.fromSystem(), AwsClients.fromEnvironment())));
    }

    public DriftCheckHandler(AwsWiring w) {
        this(w.parser(), w.driftCheck(), w.reconciliation(), w.stack(), w.reconcileAfter());
    }

    public DriftCheckHandler(EventParser parser, DriftCheck check, RemediationResults results,
                             StackRevisionSource stack, Duration reconcileAfter) {
        this.parser = parser;
        this.check = check;
        this.results = results;
        this.stack = stack;
        this.reconcileAfter = reconcileAfter;
    }

    /** Kept back from the context's remaining time: the response, the log line, the SDK's last retry. */
    private static final Duration MARGIN = Duration.ofSeconds(5);

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Log log = new Log(context);
        Duration budget = context == null ? DriftCheck.DEFAULT_BUDGET
                : Duration.ofMillis(Math.max(1000, context.getRemainingTimeInMillis() - MARGIN.toMillis()));
        String response = handle(new String(input.readAllBytes(), StandardCharsets.UTF_8), log, budget);
        output.write(response.getBytes(StandardCharsets.UTF_8));
    }

    /** The response JSON. */
    private String handle(String event, Log log, Duration budget) {
        EventParser.Parsed parsed = parser.driftCheck(event);
        if (!(parsed instanceof EventParser.Check c)) {
            String reason = parsed instanceof EventParser.Ignored i ? i.reason() : "not a drift check event";
            log.info("ignored: " + reason);
            return Json.write(ResponseJson.ignored(reason));
        }
        Trigger trigger = c.trigger();
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("trigger", trigger.kind().name());
        response.put("detail", trigger.detail());
        log.info("drift check: " + trigger.detail() + (trigger.revision() == null ? "" : " " + trigger.revision()));
        if (trigger.kind() == Trigger.Kind.GIT_PUSH) {
            String status = stack.stackStatus();
            if (status != null && status.endsWith("_IN_PROGRESS")) {
                // branch mode still moves its head; the stack-complete event's check acts
                String note = check.offer(trigger.push());
                String why = "stack is " + status + ": the stack-complete event will act (" + note + ")";
                log.info(why);
                response.put("deferred", why);
                return Json.write(response);
            }
        }
        if (trigger.kind() == Trigger.Kind.SCHEDULE) {
            response.put("reconciled", results.reconcile(reconcileAfter).stream().map(ResponseJson::report).toList());
        }
        ResponseJson.check(check.run(trigger, budget), response);
        String json = Json.write(response);
        log.info("result: " + json);
        return json;
    }
}
