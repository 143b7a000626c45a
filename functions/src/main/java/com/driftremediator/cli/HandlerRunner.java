package com.driftremediator.cli;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;

/**
 * The JVM {@code remediator invoke} starts for one invocation: builds the handler through its no-arg constructor
 * (reading this process's environment, as on Lambda), passes stdin as the event and prints the response on stdout.
 * Whatever the handler prints goes to stderr, so stdout holds only the response. A failure prints Lambda's error
 * shape ({"errorMessage", "errorType"}) and exits 1.
 */
public final class HandlerRunner {
    private HandlerRunner() {
    }

    /** Arguments: HANDLER (class::method) FUNCTION_ID TIMEOUT_SECONDS MEMORY_MB. */
    public static void main(String[] args) {
        PrintStream response = System.out;
        System.setOut(System.err);
        String[] handler = args[0].split("::", 2);
        long deadline = System.currentTimeMillis() + Long.parseLong(args[2]) * 1000;
        try {
            Object instance = Class.forName(handler[0]).getDeclaredConstructor().newInstance();
            String method = handler.length > 1 ? handler[1] : "handleRequest";
            if (!(instance instanceof RequestStreamHandler h) || !method.equals("handleRequest")) {
                throw new IllegalArgumentException(args[0] + " is not a RequestStreamHandler::handleRequest");
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            h.handleRequest(System.in, out, new LocalContext(args[1], deadline, Integer.parseInt(args[3])));
            response.println(out.toString(StandardCharsets.UTF_8));
            response.flush();
            System.exit(0);
        } catch (Throwable t) {
            Throwable cause = t instanceof InvocationTargetException ite && ite.getCause() != null ? ite.getCause() : t;
            System.err.println(args[1] + " failed: " + cause);
            ObjectNode error = new ObjectMapper().createObjectNode();
            error.put("errorMessage", String.valueOf(cause.getMessage()));
            error.put("errorType", cause.getClass().getName());
            response.println(error);
            response.flush();
            System.exit(1);
        }
    }
}
