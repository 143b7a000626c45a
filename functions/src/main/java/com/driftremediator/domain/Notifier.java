package com.driftremediator.domain;

/** Port: tells people (SNS, Slack, the terminal) what happened. */
public interface Notifier {
    void publish(Report report);
}
