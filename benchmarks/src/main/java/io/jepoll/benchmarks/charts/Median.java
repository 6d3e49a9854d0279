package io.jepoll.benchmarks.charts;

import java.util.Collection;

/**
 * The median of a few measurements: it shows the typical round, where a mean would be pulled
 * by one disturbed one.
 */
final class Median {

    private Median() {
    }

    /** The middle value; for an even count, the mean of the two middle ones. */
    static double of(Collection<Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no values");
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
