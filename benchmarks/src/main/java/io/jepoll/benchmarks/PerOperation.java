package io.jepoll.benchmarks;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;

/**
 * JMH adds up {@code @AuxCounters(EVENTS)} values over every measured iteration of every fork.
 * To report a count per operation there, each iteration reports its share of the mean: its
 * own ratio divided by the number of iterations in the run. The final result is then the mean
 * ratio; the lines JMH prints per iteration show the shares.
 */
final class PerOperation {

    private PerOperation() {
    }

    /** Iterations of this phase across all forks; a run without forks counts as one. */
    static int shares(BenchmarkParams benchmark, IterationParams iteration) {
        return Math.max(1, benchmark.getForks()) * Math.max(1, iteration.getCount());
    }

    static double share(long count, long operations, int shares) {
        return operations == 0 ? 0 : (double) count / operations / shares;
    }
}
