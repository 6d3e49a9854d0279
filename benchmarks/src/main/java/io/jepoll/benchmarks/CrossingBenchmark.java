package io.jepoll.benchmarks;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.jepoll.shim.Shim;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one call through each binding costs (JNA direct mapping; FFM downcalls on JDK 22+), next
 * to the system call behind it and to the JDK's own JNI path for the same call. Each operation is
 * exactly one crossing (and, except for the no-op, one system call), so no counters are needed.
 * JMH forks a JVM per binding, and the binding is chosen before the shim's first call; a binding
 * this JDK cannot give fails its runs instead of measuring the other one
 * ({@code -p binding=jna} on JDK 17-21).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 2, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class CrossingBenchmark {

    private static final int MAX_EVENTS = 64;

    @Param({"jna", "ffm"})
    public String binding;

    private int epollFd;
    private Memory events;
    private SocketPairs pair;
    private Memory readBuffer;
    private ServerSocketChannel nioListener;
    private SocketChannel nioChannel;
    private SocketChannel nioPeer;
    private ByteBuffer nioBuffer;
    private Selector selector;

    @Setup
    public void open() throws IOException {
        System.setProperty("jepoll.binding", binding);
        if (!Shim.binding().equals(binding)) {
            throw new IllegalStateException(Shim.bindingFallback().orElse("binding " + Shim.binding()));
        }
        epollFd = Shim.epollCreate();
        events = new Memory((long) MAX_EVENTS * Shim.EVENT_SIZE);
        pair = new SocketPairs(1);
        readBuffer = new Memory(4096);
        nioListener = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        nioPeer = SocketChannel.open(nioListener.getLocalAddress());
        nioChannel = nioListener.accept();
        nioChannel.configureBlocking(false);
        nioBuffer = ByteBuffer.allocateDirect(4096);
        selector = Selector.open();
    }

    @TearDown
    public void close() throws IOException {
        Shim.close(epollFd);
        pair.close();
        nioChannel.close();
        nioPeer.close();
        nioListener.close();
        selector.close();
    }

    /** The crossing alone: a shim function that returns a constant. */
    @Benchmark
    public int nativeNoOp() {
        return Shim.abiVersion();
    }

    @Benchmark
    public int nativeEpollWaitOnEmptySet() {
        return Shim.epollWait(epollFd, Pointer.nativeValue(events), MAX_EVENTS, 0);
    }

    /** A read that finds nothing: -EAGAIN, the most common call a loop makes in vain. */
    @Benchmark
    public int nativeReadEmptySocket() {
        return Shim.read(pair.near[0], Pointer.nativeValue(readBuffer), 4096);
    }

    /** The same read through java.nio (JNI inside the JDK), for comparison. */
    @Benchmark
    public int nioReadEmptySocket() throws IOException {
        nioBuffer.clear();
        return nioChannel.read(nioBuffer);
    }

    /** java.nio's closest to an empty epoll_wait. */
    @Benchmark
    public int nioSelectNowOnEmptySet() throws IOException {
        return selector.selectNow();
    }
}
