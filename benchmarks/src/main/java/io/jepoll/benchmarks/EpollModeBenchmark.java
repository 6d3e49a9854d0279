package io.jepoll.benchmarks;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.jepoll.shim.Shim;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;

/**
 * Level- against edge-triggered epoll at the shim, without a loop around it: N connected
 * sockets registered for EPOLLIN in one mode or the other.
 *
 * <ul>
 *   <li>{@link #waitWithUnreadData}: every socket holds bytes nobody reads, as when a loop has
 *       paused reads or spent its read budget. LT reports all N on every wait; ET reported
 *       them once and now returns nothing.
 *   <li>{@link #readCycle}: a byte arrives on each socket (the peer's N writes are part of the
 *       operation and the same in both modes), then the server side waits until it has seen N
 *       events and reads each socket once, as jepoll's loops do (a short read ends a turn).
 *       The system calls are the same; LT's difference is in the kernel, which keeps each
 *       reported fd on its ready list and re-checks it at the next wait.
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 2, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class EpollModeBenchmark {

    public enum Trigger { LT, ET }

    @State(Scope.Thread)
    public static class Registered {

        @Param({"LT", "ET"})
        public Trigger mode;

        @Param({"1", "64", "1024"})
        public int fds;

        SocketPairs pairs;
        int epollFd;
        Memory events;
        final Memory buffer = new Memory(4096);

        @Setup(Level.Trial)
        public void open() throws IOException {
            pairs = new SocketPairs(fds);
            epollFd = Shim.epollCreate();
            events = new Memory((long) fds * Shim.EVENT_SIZE);
            int interest = Shim.EPOLLIN | (mode == Trigger.ET ? Shim.EPOLLET : 0);
            for (int fd : pairs.near) {
                Shim.epollCtl(epollFd, Shim.EPOLL_CTL_ADD, fd, interest, 0);
            }
            opened();
        }

        /** What a subclass adds once the sockets are registered. */
        void opened() {
        }

        @TearDown(Level.Trial)
        public void close() {
            Shim.close(epollFd);
            pairs.close();
        }

        void writeOneByteToEach() {
            for (int fd : pairs.far) {
                Shim.write(fd, Pointer.nativeValue(buffer), 1);
            }
        }
    }

    /** Sockets holding a byte each, written once at set-up and never read. */
    @State(Scope.Thread)
    public static class Unread extends Registered {
        @Override
        void opened() {
            writeOneByteToEach();
        }
    }

    /** System calls and events per operation, made by the server side only. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Work {
        long operations;
        long syscalls;
        long events;

        private int shares;

        @Setup(Level.Iteration)
        public void reset(BenchmarkParams benchmark, IterationParams iteration) {
            operations = 0;
            syscalls = 0;
            events = 0;
            shares = PerOperation.shares(benchmark, iteration);
        }

        public double syscallsPerOp() {
            return PerOperation.share(syscalls, operations, shares);
        }

        public double eventsPerOp() {
            return PerOperation.share(events, operations, shares);
        }
    }

    @Benchmark
    public int waitWithUnreadData(Unread sockets, Work work) {
        int n = Shim.epollWait(sockets.epollFd, Pointer.nativeValue(sockets.events), sockets.fds, 0);
        work.operations++;
        work.syscalls++;
        work.events += n;
        return n;
    }

    @Benchmark
    public int readCycle(Registered sockets, Work work) {
        sockets.writeOneByteToEach();
        long eventsAddress = Pointer.nativeValue(sockets.events);
        long buffer = Pointer.nativeValue(sockets.buffer);
        int seen = 0;
        int bytes = 0;
        while (seen < sockets.fds) {
            int n = Shim.epollWait(sockets.epollFd, eventsAddress, sockets.fds, -1);
            work.syscalls++;
            for (int i = 0; i < n; i++) {
                int fd = sockets.events.getInt((long) i * Shim.EVENT_SIZE + Shim.EVENT_FD_OFFSET);
                bytes += Shim.read(fd, buffer, 4096);
                work.syscalls++;
            }
            seen += n;
        }
        work.operations++;
        work.events += seen;
        return bytes;
    }
}
