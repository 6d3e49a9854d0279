package io.jepoll.loop;

import static io.jepoll.echo.EchoClients.assumeAvailable;
import static io.jepoll.echo.EchoClients.connect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jepoll.net.Connection;
import io.jepoll.net.Handler;
import io.jepoll.server.TcpServer;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A peer that resets a connection whose reads are suspended: the kernel reports the error and
 * hang-up whatever the interest set, so a connection that neither reads nor writes must be
 * closed then (SocketConnection.ready, step 4), not reported again on every wait (level-triggered
 * epoll spun at ~800k wake-ups a second) nor left holding its fd until reads resume.
 */
@Timeout(60)
class HangUpWhileSuspendedTest {

    /** How long the server may take to notice the reset and close its side. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);
    /** How long the loop is watched for spinning once the connection is closed. */
    private static final long QUIET_MILLIS = 500;
    /** An idle loop wakes up a handful of times in that while; a spinning one, hundreds of thousands. */
    private static final long MOST_WAKE_UPS = 100;

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aResetOnASuspendedConnectionClosesItAndTheLoopStaysQuiet(Transport transport) throws Exception {
        assumeAvailable(transport);
        assumeTrue(transport.isNative(), transport + " cannot watch a socket for errors alone: java.nio has no"
                + " interest set for them and a blocking connection is not reading, so a suspended connection learns"
                + " of the reset when its reads resume");
        CompletableFuture<Connection> opened = new CompletableFuture<>();
        CompletableFuture<Throwable> closed = new CompletableFuture<>();
        try (TcpServer server = TcpServer.builder().transport(transport)
                .handler(() -> new SuspendAtOnce(opened, closed)).shutdownGrace(Duration.ofSeconds(2)).build()
                .start()) {
            LoopStats before;
            Socket socket = connect(server);
            try {
                opened.get(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
                // onOpen has returned once the server loop runs a task queued after it.
                CompletableFuture<Void> settled = new CompletableFuture<>();
                server.loops().loops().get(0).execute(() -> settled.complete(null));
                settled.get(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
                before = server.stats();
                socket.setSoLinger(true, 0);
            } finally {
                socket.close(); // with SO_LINGER 0: a reset
            }

            try {
                closed.get(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                LoopStats now = server.stats();
                fail("onClose not called within " + CLOSE_WAIT.toSeconds() + " s of the peer's reset on a connection"
                        + " with reads suspended; meanwhile the server loop woke up " + now.minus(before).wakeUps()
                        + " times; server " + now);
            }
            Thread.sleep(QUIET_MILLIS);
            LoopStats since = server.stats().minus(before);
            assertThat(since.wakeUps())
                    .as("server loop wake-ups from the reset until %d ms after the close (%s)", QUIET_MILLIS, since)
                    .isLessThan(MOST_WAKE_UPS);
            assertThat(since.connectionsClosed()).as("connections the server closed").isEqualTo(1);
        }
    }

    /** Suspends reads as soon as the connection opens, and records when it closes. */
    private record SuspendAtOnce(CompletableFuture<Connection> opened, CompletableFuture<Throwable> closed)
            implements Handler {

        @Override
        public void onOpen(Connection connection) {
            connection.suspendReads();
            opened.complete(connection);
        }

        @Override
        public void onData(Connection connection, java.nio.ByteBuffer in) {
            fail("no data was sent, and reads are suspended");
        }

        @Override
        public void onClose(Connection connection, Throwable cause) {
            closed.complete(cause);
        }
    }
}
