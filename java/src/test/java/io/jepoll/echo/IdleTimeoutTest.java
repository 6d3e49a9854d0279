package io.jepoll.echo;

import static io.jepoll.echo.EchoClients.connect;
import static io.jepoll.echo.EchoClients.echoServer;
import static io.jepoll.echo.EchoClients.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;

import io.jepoll.loop.Transport;
import io.jepoll.net.Connection;
import io.jepoll.net.Handler;
import io.jepoll.server.TcpServer;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A TCP server closes a connection on which nothing has moved for its idle timeout, on every
 * transport: a peer that connects and sends nothing, or stops reading, holds nothing for ever,
 * and one that keeps talking is never cut off.
 */
@Timeout(60)
class IdleTimeoutTest {

    private static final Duration TIMEOUT = Duration.ofMillis(400);
    private static final byte[] MESSAGE = SeededBytes.array(3, 64);

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aSilentConnectionIsClosedAfterTheTimeout(Transport transport) throws Exception {
        try (TcpServer server = echoServer(transport).idleTimeout(TIMEOUT).build().start();
                Socket silent = connect(server)) {
            long start = System.nanoTime();
            assertEndsWithin(silent, Duration.ofSeconds(10));
            Duration waited = Duration.ofNanos(System.nanoTime() - start);

            assertThat(waited).as("time to the close").isGreaterThanOrEqualTo(TIMEOUT.minusMillis(50));
            awaitClosedCount(server, 1);
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aConnectionThatKeepsTalkingStaysOpenPastManyTimeouts(Transport transport) throws Exception {
        try (TcpServer server = echoServer(transport).idleTimeout(TIMEOUT).build().start();
                Socket talking = connect(server)) {
            long end = System.nanoTime() + TIMEOUT.multipliedBy(4).toNanos();
            while (System.nanoTime() < end) {
                assertThat(roundTrip(talking, MESSAGE)).isEqualTo(MESSAGE);
                Thread.sleep(TIMEOUT.toMillis() / 4);
            }
            assertThat(roundTrip(talking, MESSAGE)).isEqualTo(MESSAGE);
            assertThat(server.stats().connectionsClosed()).isZero();
        }
    }

    /**
     * A peer that stops reading while the server has output queued (on the blocking transport, a
     * write blocked in progress): a graceful close would wait for that output for ever.
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void aPeerThatStopsReadingIsClosedAfterTheTimeout(Transport transport) throws Exception {
        TcpServer.Builder flooding = echoServer(transport).idleTimeout(TIMEOUT).handler(() -> new Handler() {
            @Override
            public void onOpen(Connection connection) {
                connection.write(ByteBuffer.allocate(32 << 20));
            }

            @Override
            public void onData(Connection connection, ByteBuffer in) {
                in.position(in.limit());
            }
        });
        try (TcpServer server = flooding.build().start();
                Socket notReading = EchoClients.connect(server.localAddress(), 4096)) {
            awaitClosedCount(server, 1);
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void zeroMeansNoIdleTimeout(Transport transport) throws Exception {
        try (TcpServer server = echoServer(transport).idleTimeout(Duration.ZERO).build().start();
                Socket quiet = connect(server)) {
            Thread.sleep(TIMEOUT.multipliedBy(3).toMillis());
            assertThat(roundTrip(quiet, MESSAGE)).isEqualTo(MESSAGE);
        }
    }

    private static void assertEndsWithin(Socket socket, Duration limit) throws IOException {
        socket.setSoTimeout((int) limit.toMillis());
        try {
            assertThat(socket.getInputStream().read()).as("read on an idle connection").isEqualTo(-1);
        } catch (SocketException reset) {
            // Closed just as well.
        }
    }

    private static void awaitClosedCount(TcpServer server, long closed) throws InterruptedException {
        EchoClients.awaitTrue("the server counts the idle connection closed",
                () -> server.stats().connectionsClosed() == closed);
    }
}
