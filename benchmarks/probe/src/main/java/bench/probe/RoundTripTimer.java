package bench.probe;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * SDK global interceptor (registered by its classpath resource) that appends, for each AWS call, the nanoseconds
 * between sending the request and receiving the response to the file named by BENCH_ROUND_TRIP_LOG, and the
 * nanoseconds from the call's first interceptor hook to its last (the whole SDK call: marshalling, signing, the
 * round trip, unmarshalling) to BENCH_SDK_CALL_LOG. The harness subtracts them from the handler's time: the time
 * outside AWS round trips, and the time outside SDK calls (the function's own code).
 */
public class RoundTripTimer implements ExecutionInterceptor {
    private static final ExecutionAttribute<Long> SENT = new ExecutionAttribute<>("bench.sent");
    private static final ExecutionAttribute<Long> STARTED = new ExecutionAttribute<>("bench.started");
    private static final FileOutputStream LOG = open("BENCH_ROUND_TRIP_LOG");
    private static final FileOutputStream SDK_LOG = open("BENCH_SDK_CALL_LOG");

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        attributes.putAttribute(STARTED, System.nanoTime());
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        append(SDK_LOG, attributes.getAttribute(STARTED));
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        append(SDK_LOG, attributes.getAttribute(STARTED));
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        attributes.putAttribute(SENT, System.nanoTime());
    }

    @Override
    public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
        append(LOG, attributes.getAttribute(SENT));
    }

    private static void append(FileOutputStream log, Long since) {
        if (since == null || log == null) return;
        try {
            log.write(((System.nanoTime() - since) + "\n").getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static FileOutputStream open(String variable) {
        String path = System.getenv(variable);
        try {
            return path == null ? null : new FileOutputStream(path, true);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
