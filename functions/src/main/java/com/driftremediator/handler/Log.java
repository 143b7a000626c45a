package com.driftremediator.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;

/**
 * One log event per call: the Lambda logger (JSON on Lambda), stderr when there is no context (tests).
 * Never given secrets.
 */
final class Log {
    private final LambdaLogger logger;

    Log(Context context) {
        this.logger = context != null && context.getLogger() != null ? context.getLogger() : null;
    }

    void info(String message) {
        if (logger != null) logger.log(message);
        else System.err.println(message);
    }
}
