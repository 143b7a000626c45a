package bench.harness;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One function under test: its unzipped deployment package (the Lambda task root), handler string, environment
 * (as the template sets it), the event to send, and what to reset before each invocation so every one runs the
 * same path (for the drift check: an empty ledger, so the full path to SendCommand runs every time).
 */
record Subject(String id, Path taskRoot, String handler, Map<String, String> env, Supplier<String> event,
               Runnable beforeEach) {
}
