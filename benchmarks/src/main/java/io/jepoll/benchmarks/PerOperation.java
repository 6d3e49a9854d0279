package io.jepoll.benchmarks;

/**
 * JMH adds up {@code @AuxCounters(EVENTS)} values over the iterations of a run. To report a
 * count per operation, each iteration reports its share of the mean: its own ratio divided by
 * the number of iterations, so that JMH's sum is the mean ratio.
 */
final class PerOperation {

    private PerOperation() {
    }

    static double share(long count, long operations, int iterations) {
        return operations == 0 ? 0 : (double) count / operations / Math.max(1, iterations);
    }
}
