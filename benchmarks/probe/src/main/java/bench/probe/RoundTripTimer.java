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
 * between sending the request and receiving the response to the file named by BENCH_ROUND_TRIP_LOG. The harness
 * subtracts them from the handler's time to get the time the handler spends outside AWS round trips.
 */
public class RoundTripTimer implements ExecutionInterceptor {
    private static final ExecutionAttribute<Long> SENT = new ExecutionAttribute<>("bench.sent");
    private static final FileOutputStream LOG = open();

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        attributes.putAttribute(SENT, System.nanoTime());
    }

    @Override
    public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
        Long sent = attributes.getAttribute(SENT);
        if (sent == null || LOG == null) return;
        try {
            LOG.write(((System.nanoTime() - sent) + "\n").getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static FileOutputStream open() {
        String path = System.getenv("BENCH_ROUND_TRIP_LOG");
        try {
            return path == null ? null : new FileOutputStream(path, true);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
