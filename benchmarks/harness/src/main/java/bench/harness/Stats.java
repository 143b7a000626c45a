package bench.harness;

import java.util.List;

/** Percentiles (nearest rank) of a list of durations in milliseconds. */
record Stats(int n, double p50, double p90, double min, double max) {
    static Stats of(List<Double> millis) {
        double[] v = millis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (v.length == 0) return new Stats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        return new Stats(v.length, rank(v, 50), rank(v, 90), v[0], v[v.length - 1]);
    }

    private static double rank(double[] sorted, int percentile) {
        int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    @Override
    public String toString() {
        return String.format("p50 %.1f ms, p90 %.1f ms (n=%d, min %.1f, max %.1f)", p50, p90, n, min, max);
    }
}
