package com.driftremediator.handler;

import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** A Lambda context whose logger appends every line to a list, with 30 s left. */
final class CapturingContext {
    private CapturingContext() {
    }

    static Context into(List<String> logged) {
        Context context = mock(Context.class);
        when(context.getRemainingTimeInMillis()).thenReturn(30_000);
        when(context.getLogger()).thenReturn(new LambdaLogger() {
            @Override
            public void log(String message) {
                logged.add(message);
            }

            @Override
            public void log(byte[] message) {
                logged.add(new String(message, StandardCharsets.UTF_8));
            }
        });
        return context;
    }
}
