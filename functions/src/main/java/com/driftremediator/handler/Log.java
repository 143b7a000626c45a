package com.driftremediator.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;

/** One line per call to the Lambda logger (stderr outside Lambda, e.g. in tests). Never given secrets. */
final class Log {
    private final LambdaLogger logger;

    Log(Context context) {
        this.logger = context != null && context.getLogger() != null ? context.getLogger() : null;
    }

    void info(String message) {
        if (logger != null) logger.log(message + "\n");
        else System.err.println(message);
    }
}
