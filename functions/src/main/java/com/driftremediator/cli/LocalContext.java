package com.driftremediator.cli;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;

import java.util.UUID;

/**
 * The Lambda context of a local invocation ({@code bin/remediator invoke}, tests): remaining time counted down
 * from the function's timeout, logs to stderr.
 */
public record LocalContext(String functionName, long deadline, int memoryMb) implements Context {
    private static final String REQUEST_ID = UUID.randomUUID().toString();

    /** A context whose remaining time counts down from {@code budgetMillis}, starting now. */
    public static LocalContext withBudget(String functionName, long budgetMillis, int memoryMb) {
        return new LocalContext(functionName, System.currentTimeMillis() + budgetMillis, memoryMb);
    }

    @Override
    public String getAwsRequestId() {
        return REQUEST_ID;
    }

    @Override
    public String getLogGroupName() {
        return "/aws/lambda/" + functionName;
    }

    @Override
    public String getLogStreamName() {
        return "local";
    }

    @Override
    public String getFunctionName() {
        return functionName;
    }

    @Override
    public String getFunctionVersion() {
        return "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
        return "arn:aws:lambda:local:123456789012:function:" + functionName;
    }

    @Override
    public CognitoIdentity getIdentity() {
        return null;
    }

    @Override
    public ClientContext getClientContext() {
        return null;
    }

    @Override
    public int getRemainingTimeInMillis() {
        return (int) Math.max(0, deadline - System.currentTimeMillis());
    }

    @Override
    public int getMemoryLimitInMB() {
        return memoryMb;
    }

    @Override
    public LambdaLogger getLogger() {
        return new LambdaLogger() {
            @Override
            public void log(String message) {
                System.err.println(message);
            }

            @Override
            public void log(byte[] message) {
                System.err.write(message, 0, message.length);
            }
        };
    }
}
