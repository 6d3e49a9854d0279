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
import org.openjdk.jmh.infra.IterationParams;

/**
 * What the server under test did per operation, reported next to the score: system calls,
 * JNA crossings and wake-ups from the loop counters, and bytes the server's threads allocated.
 * Time alone would hide why LT and ET differ; these say it in work done.
 *
 * <p>The benchmark's own state says which server to watch ({@link #watch}) at trial set-up and
 * adds to {@link #operations} as it goes. JMH runs one benchmark per forked JVM, so the watched
 * server is a plain static.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class LoopCounts {

    private static volatile Supplier<LoopStats> server = () -> LoopStats.ZERO;
    private static volatile Set<Long> clientThreads = Set.of();

    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private Thread benchmarkThread;
    private LoopStats start;
    private Map<Long, Long> allocatedAtStart = Map.of();
    private int iterations;

    /** Operations completed in this iteration, as the benchmark defines one. */
    long operations;

    /**
     * Counts {@code stats} from now on, and charges allocation by every thread except the
     * benchmark's and the client threads to the server.
     */
    static void watch(Supplier<LoopStats> stats, Set<Long> clientThreadIds) {
        server = stats;
        clientThreads = Set.copyOf(clientThreadIds);
    }

    @Setup(Level.Iteration)
    public void begin(IterationParams iteration) {
        iterations = iteration.getCount();
        benchmarkThread = Thread.currentThread();
        operations = 0;
        start = server.get();
        allocatedAtStart = serverAllocatedBytes();
    }

    public double syscallsPerOp() {
        return perOperation(server.get().minus(start).syscalls());
    }

    public double crossingsPerOp() {
        return perOperation(server.get().minus(start).crossings());
    }

    public double wakeUpsPerOp() {
        return perOperation(server.get().minus(start).wakeUps());
    }

    /** Bytes allocated by the server's threads; -prof gc counts the clients' too. */
    public double serverBytesPerOp() {
        long sum = 0;
        for (Map.Entry<Long, Long> thread : serverAllocatedBytes().entrySet()) {
            sum += thread.getValue() - allocatedAtStart.getOrDefault(thread.getKey(), 0L);
        }
        return perOperation(sum);
    }

    private double perOperation(long count) {
        return PerOperation.share(count, operations, iterations);
    }

    /**
     * Bytes allocated so far by each live thread that is not the client's. Virtual threads'
     * allocation is their carriers'; a thread that ends mid-iteration takes its count with it.
     */
    private Map<Long, Long> serverAllocatedBytes() {
        Map<Long, Long> allocated = new HashMap<>();
        for (long id : threads.getAllThreadIds()) {
            long bytes = threads.getThreadAllocatedBytes(id);
            if (id != benchmarkThread.getId() && !clientThreads.contains(id) && bytes >= 0) {
                allocated.put(id, bytes);
            }
        }
        return allocated;
    }
}
