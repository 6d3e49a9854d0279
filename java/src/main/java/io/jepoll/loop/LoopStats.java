package io.jepoll.loop;

import java.util.Arrays;
import java.util.Objects;

/**
 * A snapshot of one loop's counters, or their sum over several loops.
 *
 * @param calls system calls by kind, indexed by {@link Call#ordinal()}; see {@link #calls(Call)}
 * @param wakeUps times the loop's wait returned
 * @param events I/O events handled
 * @param bytesRead bytes read from connections
 * @param bytesWritten bytes written to connections
 * @param connectionsOpened connections accepted or connected
 * @param connectionsClosed connections closed, for any reason
 * @param crossings calls into the native library through its binding (each one system call, except
 *     a batch accept); 0 for the NIO and blocking transports, whose JNI calls are the JDK's
 * @param binding how the loops call the kernel: {@code jna} or {@code ffm} (the epoll transports,
 *     {@code -Djepoll.binding}), {@value #JDK_BINDING} (NIO and blocking: the JDK's own calls), or
 *     empty in {@link #ZERO}
 */
public record LoopStats(long[] calls, long wakeUps, long events, long bytesRead, long bytesWritten,
        long connectionsOpened, long connectionsClosed, long crossings, String binding) {

    /** The binding of the transports that call the kernel through the JDK's own java.nio. */
    public static final String JDK_BINDING = "jdk";

    /** Every counter at zero, of no binding: the start of a sum. */
    public static final LoopStats ZERO = new LoopStats(new long[Call.values().length], 0, 0, 0, 0, 0, 0, 0, "");

    /**
     * Copies {@code calls}, so that the snapshot cannot change.
     *
     * @param calls see {@link #calls()}
     * @param wakeUps see {@link #wakeUps()}
     * @param events see {@link #events()}
     * @param bytesRead see {@link #bytesRead()}
     * @param bytesWritten see {@link #bytesWritten()}
     * @param connectionsOpened see {@link #connectionsOpened()}
     * @param connectionsClosed see {@link #connectionsClosed()}
     * @param crossings see {@link #crossings()}
     * @param binding see {@link #binding()}
     * @throws NullPointerException when {@code calls} or {@code binding} is null
     */
    public LoopStats {
        calls = calls.clone();
        Objects.requireNonNull(binding, "binding");
    }

    /** {@return a copy of the calls by kind, indexed by {@link Call#ordinal()}} */
    @Override
    public long[] calls() {
        return calls.clone();
    }

    /**
     * {@return how many calls of this kind were made}
     *
     * @param call the kind of call
     */
    public long calls(Call call) {
        return calls[call.ordinal()];
    }

    /** {@return all system calls (or the java.nio operations standing for them) together} */
    public long syscalls() {
        return Arrays.stream(calls).sum();
    }

    /**
     * {@return these counts and {@code other}'s added, e.g. over the loops of a group; of this binding, or
     * of {@code other}'s when this is {@link #ZERO}}
     *
     * @param other the counts to add
     */
    public LoopStats plus(LoopStats other) {
        long[] sum = calls.clone();
        for (int i = 0; i < sum.length; i++) {
            sum[i] += other.calls[i];
        }
        return new LoopStats(sum, wakeUps + other.wakeUps, events + other.events, bytesRead + other.bytesRead,
                bytesWritten + other.bytesWritten, connectionsOpened + other.connectionsOpened,
                connectionsClosed + other.connectionsClosed, crossings + other.crossings,
                binding.isEmpty() ? other.binding : binding);
    }

    /**
     * {@return the counts accumulated since {@code earlier}}
     *
     * @param earlier a snapshot of the same loops taken before this one
     */
    public LoopStats minus(LoopStats earlier) {
        long[] diff = calls.clone();
        for (int i = 0; i < diff.length; i++) {
            diff[i] -= earlier.calls[i];
        }
        return new LoopStats(diff, wakeUps - earlier.wakeUps, events - earlier.events,
                bytesRead - earlier.bytesRead, bytesWritten - earlier.bytesWritten,
                connectionsOpened - earlier.connectionsOpened, connectionsClosed - earlier.connectionsClosed,
                crossings - earlier.crossings, binding);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LoopStats s && Arrays.equals(calls, s.calls) && wakeUps == s.wakeUps
                && events == s.events && bytesRead == s.bytesRead && bytesWritten == s.bytesWritten
                && connectionsOpened == s.connectionsOpened && connectionsClosed == s.connectionsClosed
                && crossings == s.crossings && binding.equals(s.binding);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(calls) + Long.hashCode(events + bytesRead + bytesWritten);
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        out.append("connections +").append(connectionsOpened).append(" -").append(connectionsClosed)
                .append(", bytes in ").append(bytesRead).append(" out ").append(bytesWritten)
                .append(", wake-ups ").append(wakeUps).append(", events ").append(events)
                .append(", binding ").append(binding).append(", crossings ").append(crossings).append(", syscalls ").append(syscalls()).append(" (");
        String separator = "";
        for (Call call : Call.values()) {
            if (calls[call.ordinal()] != 0) {
                out.append(separator).append(call.name().toLowerCase(java.util.Locale.ROOT)).append(' ')
                        .append(calls[call.ordinal()]);
                separator = ", ";
            }
        }
        return out.append(')').toString();
    }
}
