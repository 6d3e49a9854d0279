package io.jepoll.benchmarks;

import io.jepoll.echo.EchoHandler;
import io.jepoll.loop.Transport;
import io.jepoll.server.TcpServer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.TimeUnit;
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

/**
 * Echo round trips through a jepoll echo server on each transport, the clients in the same
 * JVM on jepoll's own client loop (edge-triggered where the library loads). The score counts
 * waves (one message out and back on every connection); {@code roundTrips} is per second, and
 * the loop counters are per round trip, server side only.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 2, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class EchoBenchmark {

    @Param({"EPOLL_ET", "EPOLL_LT", "NIO", "BLOCKING"})
    public Transport transport;

    @Param({"1", "64", "1000"})
    public int connections;

    @Param({"64", "16384"})
    public int size;

    private TcpServer server;
    private WaveClient clients;

    @Setup(Level.Trial)
    public void start() throws IOException {
        server = TcpServer.builder().host("127.0.0.1").port(0).transport(transport).handler(EchoHandler::new)
                .build().start();
        ByteBuffer message = ByteBuffer.allocateDirect(size);
        for (int i = 0; i < size; i++) {
            message.put(i, (byte) ('a' + i % 26));
        }
        clients = new WaveClient(server.localAddress(), connections, message, size);
        LoopCounts.watch(server::stats, Set.of(clients.loopThreadId()));
    }

    @TearDown(Level.Trial)
    public void stop() {
        clients.close();
        server.close();
    }

    @Benchmark
    public void echo(LoopCounts counts, RoundTrips done) {
        clients.wave();
        counts.operations += connections;
        done.roundTrips += connections;
    }
}
