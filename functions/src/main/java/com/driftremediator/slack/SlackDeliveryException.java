package com.driftremediator.slack;

/**
 * Slack did not take the message. Thrown out of the handler so that Lambda retries the asynchronous
 * invocation and finally sends it to the dead-letter queue. Its message never holds the URL or token.
 */
public final class SlackDeliveryException extends RuntimeException {
    public SlackDeliveryException(String message) {
        super(message);
    }
}
