package io.jepoll.loop;

/**
 * What one loop did, counted by its own thread with plain fields: no atomics on the hot
 * path. Other threads read a {@link #snapshot()}, which may lag the loop by a few events.
 */
final class LoopCounters {

    final long[] calls = new long[Call.values().length];
    long wakeUps;
    long events;
    long bytesRead;
    long bytesWritten;
    long connectionsOpened;
    long connectionsClosed;
    /** Calls into the native library through the binding; java.nio's own JNI calls are not counted. */
    long crossings;
    private final String binding;

    /** Counters of a loop calling the kernel through binding: {@code jna}, {@code ffm} or {@code jdk}. */
    LoopCounters(String binding) {
        this.binding = binding;
    }

    void count(Call call) {
        calls[call.ordinal()]++;
    }

    /** A system call made through one call of the shim. */
    void countNative(Call call) {
        calls[call.ordinal()]++;
        crossings++;
    }

    /** A copy of the counters as this thread sees them now. */
    LoopStats snapshot() {
        return new LoopStats(calls.clone(), wakeUps, events, bytesRead, bytesWritten, connectionsOpened,
                connectionsClosed, crossings, binding);
    }
}
