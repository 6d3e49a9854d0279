package io.jepoll.echo;

import static io.jepoll.echo.EchoClients.assertEndOfStream;
import static io.jepoll.echo.EchoClients.await;
import static io.jepoll.echo.EchoClients.awaitNoProgress;
import static io.jepoll.echo.EchoClients.connect;
import static io.jepoll.echo.EchoClients.echoServer;
import static io.jepoll.echo.EchoClients.inBackground;
import static io.jepoll.echo.EchoClients.readAndVerify;
import static org.assertj.core.api.Assertions.assertThat;

import io.jepoll.TestTls;
import io.jepoll.loop.LoopConfig;
import io.jepoll.loop.LoopStats;
import io.jepoll.loop.Transport;
import io.jepoll.net.Connection;
import io.jepoll.net.Handler;
import io.jepoll.server.TcpServer;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A peer that sends without reading cannot make the server buffer without bound: once its
 * queued output passes the high-water mark the server stops reading from it, the kernel's
 * buffers fill, and the peer's writes block. Nothing is lost: when the peer reads, every byte
 * comes back.
 */
@Timeout(60)
class BackPressureTest {

    private static final long TOTAL = 64L << 20;
    private static final int CHUNK = 64 * 1024;
    private static final long SEED = 64;

    /**
     * The bound: on the readiness transports a connection's queued output never exceeds
     * {@code highWaterMark + readBufferSize} (256 KiB + 64 KiB with the defaults), because reads
     * stop once it passes the high-water mark and one read adds at most one read buffer's worth.
     * It must also pass the high-water mark, or the server was not what stopped the peer. On
     * BLOCKING nothing is ever queued: writes block until the socket takes them. Over TLS the
     * same holds for the encrypted bytes, plus the records' overhead (under 2 %).
     */
    @ParameterizedTest(name = "{0}, TLS {1}")
    @MethodSource("io.jepoll.TestTls#transportsPlainAndTls")
    void aPeerThatDoesNotReadIsPausedWithBoundedMemoryAndThenGetsEveryByte(Transport transport, boolean tls)
            throws Exception {
        LoopConfig config = LoopConfig.defaults();
        AtomicLong maxPending = new AtomicLong();
        TcpServer.Builder builder = echoServer(transport).loopConfig(config).handler(() -> new PendingOutputProbe(maxPending));
        try (TcpServer server = (tls ? builder.tls(TestTls.server()) : builder).build().start();
                Socket plain = connect(server);
                Socket socket = tls ? TestTls.over(plain, server.localAddress()) : plain) {
            AtomicLong written = new AtomicLong();
            CompletableFuture<Void> writer = startWriting(socket, written);

            long stalledAt = awaitNoProgress("the writer", written::get, Duration.ofMillis(300));
            assertThat(stalledAt).as("bytes written when the writer stalled").isLessThan(TOTAL);
            assertThat(writer).as("the writer, while the server is not reading").isNotDone();
            assertPendingOutputBound(transport, config, maxPending.get());

            readAndVerify(socket.getInputStream(), SEED, TOTAL);
            await(writer);
            assertThat(written.get()).isEqualTo(TOTAL);
            assertEndOfStream(socket);
            assertPendingOutputBound(transport, config, maxPending.get());
        }
    }

    /** Monitoring must not hang on a server that is holding a peer back. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void statsAnswerWhileAPeerIsHeldBack(Transport transport) throws Exception {
        try (TcpServer server = echoServer(transport).build().start();
                Socket socket = connect(server)) {
            AtomicLong written = new AtomicLong();
            CompletableFuture<Void> writer = startWriting(socket, written);
            awaitNoProgress("the writer", written::get, Duration.ofMillis(300));

            CompletableFuture<LoopStats> stats = new CompletableFuture<>();
            inBackground("stats-reader", () -> stats.complete(server.stats()));
            LoopStats seen = stats.get(5, TimeUnit.SECONDS);
            assertThat(seen.connectionsOpened()).isEqualTo(1);
            assertThat(seen.bytesRead()).isPositive();

            readAndVerify(socket.getInputStream(), SEED, TOTAL);
            await(writer);
            assertEndOfStream(socket);
        }
    }

    /** Writes the seeded stream, then half-closes; {@code written} counts what the socket took. */
    private static CompletableFuture<Void> startWriting(Socket socket, AtomicLong written) {
        return inBackground("back-pressure-writer", () -> {
            OutputStream out = socket.getOutputStream();
            SeededBytes bytes = new SeededBytes(SEED);
            byte[] chunk = new byte[CHUNK];
            while (written.get() < TOTAL) {
                bytes.fill(chunk);
                out.write(chunk);
                written.addAndGet(chunk.length);
            }
            socket.shutdownOutput();
        });
    }

    private static void assertPendingOutputBound(Transport transport, LoopConfig config, long maxPending) {
        if (transport == Transport.BLOCKING) {
            assertThat(maxPending).as("queued output on BLOCKING").isZero();
        } else {
            assertThat(maxPending).as("most output queued on the server")
                    .isGreaterThan(config.highWaterMark())
                    .isLessThanOrEqualTo((config.highWaterMark() + config.readBufferSize()) * 102L / 100);
        }
    }

    /** Echoes, and records the most output the connection had queued after any write. */
    private static final class PendingOutputProbe implements Handler {
        private final Handler echo = new EchoHandler();
        private final AtomicLong maxPending;

        PendingOutputProbe(AtomicLong maxPending) {
            this.maxPending = maxPending;
        }

        @Override
        public void onData(Connection connection, ByteBuffer in) {
            echo.onData(connection, in);
            maxPending.accumulateAndGet(connection.pendingOutputBytes(), Math::max);
        }
    }
}
