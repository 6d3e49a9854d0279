package io.jepoll.benchmarks;

import io.jepoll.loop.LoopStats;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;

/**
 * What the server under test did per round trip, reported next to the score: system calls,
 * JNA crossings and wake-ups from the loop counters, and bytes allocated by threads other than
 * the client's and the benchmark's (the server's, plus JMH's own few). Time alone would hide
 * why LT and ET differ; these say it in work done.
 *
 * <p>The benchmark's state says which server to watch ({@link #watch}) at trial set-up. JMH
 * runs one benchmark per forked JVM, so the watched server is a plain static. Counts are taken
 * at each iteration's end, before a last iteration's trial tear-down closes the server.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class LoopCounts {

    private static volatile Supplier<LoopStats> server = () -> LoopStats.ZERO;
    private static volatile Set<Long> clientThreads = Set.of();

    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private long benchmarkThread;
    private int shares;
    private LoopStats start;
    private Map<Long, Long> allocatedAtStart;
    private double syscalls;
    private double crossings;
    private double wakeUps;
    private double serverBytes;

    /** Round trips completed in this iteration; the benchmark adds to it. */
    long operations;

    /** Counts {@code stats} from now on, and leaves the client threads' allocation out. */
    static void watch(Supplier<LoopStats> stats, Set<Long> clientThreadIds) {
        server = stats;
        clientThreads = Set.copyOf(clientThreadIds);
    }

    @Setup(Level.Iteration)
    public void begin(BenchmarkParams benchmark, IterationParams iteration) {
        shares = PerOperation.shares(benchmark, iteration);
        operations = 0;
        benchmarkThread = Thread.currentThread().getId();
        start = server.get();
        allocatedAtStart = allocatedByServerThreads();
    }

    @TearDown(Level.Iteration)
    public void end() {
        LoopStats used = server.get().minus(start);
        long allocated = 0;
        for (Map.Entry<Long, Long> thread : allocatedByServerThreads().entrySet()) {
            allocated += thread.getValue() - allocatedAtStart.getOrDefault(thread.getKey(), 0L);
        }
        syscalls = PerOperation.share(used.syscalls(), operations, shares);
        crossings = PerOperation.share(used.crossings(), operations, shares);
        wakeUps = PerOperation.share(used.wakeUps(), operations, shares);
        serverBytes = PerOperation.share(allocated, operations, shares);
    }

    public double syscallsPerOp() {
        return syscalls;
    }

    public double crossingsPerOp() {
        return crossings;
    }

    public double wakeUpsPerOp() {
        return wakeUps;
    }

    /** -prof gc counts the clients' allocation too; this leaves it out. */
    public double serverBytesPerOp() {
        return serverBytes;
    }

    /**
     * Bytes allocated so far by each live thread that is not the client's or the benchmark's.
     * Virtual threads' allocation is their carriers'; a thread that ends mid-iteration takes its
     * count with it.
     */
    private Map<Long, Long> allocatedByServerThreads() {
        Map<Long, Long> allocated = new HashMap<>();
        for (long id : threads.getAllThreadIds()) {
            long bytes = threads.getThreadAllocatedBytes(id);
            if (id != benchmarkThread && !clientThreads.contains(id) && bytes >= 0) {
                allocated.put(id, bytes);
            }
        }
        return allocated;
    }
}
