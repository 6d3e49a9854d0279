package io.jepoll.echo;

import static io.jepoll.echo.EchoClients.connect;
import static io.jepoll.echo.EchoClients.echoServer;
import static org.assertj.core.api.Assertions.assertThat;

import io.jepoll.loop.EventLoop;
import io.jepoll.loop.LoopConfig;
import io.jepoll.loop.Transport;
import io.jepoll.net.Connection;
import io.jepoll.net.Handler;
import io.jepoll.server.TcpServer;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A peer's half-close reaches the handler however busy the loop was when it arrived.
 * Edge-triggered epoll reports the peer's FIN once, so a loop that was not reading at that
 * moment has to remember it. The server here writes nothing until the end of the input (it
 * answers with the byte count), so no write-side wake-up can make up for a forgotten FIN.
 */
@Timeout(60)
class EndOfStreamTest {

    /** Fits the socket buffers, so the FIN is queued right behind it; no multiple of a read size. */
    private static final int PAYLOAD = 10_000;
    /** For loopback to deliver the bytes and the FIN; a shorter wait could only hide a bug. */
    private static final long SETTLE_MILLIS = 200;

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aHalfCloseThatArrivedWhileReadsWerePausedIsSeenOnResume(Transport transport) throws Exception {
        CompletableFuture<Connection> opened = new CompletableFuture<>();
        try (TcpServer server = echoServer(transport).handler(() -> new CountUntilEnd(true, opened)).build().start();
                Socket socket = connect(server)) {
            Connection connection = opened.get(EchoClients.WAIT.toSeconds(), TimeUnit.SECONDS);
            sendAndHalfClose(socket);

            connection.execute(connection::resumeReads);

            assertThat(answer(socket)).isEqualTo(PAYLOAD + "\n");
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aHalfCloseQueuedBehindMoreThanOneReadBudgetIsSeen(Transport transport) throws Exception {
        LoopConfig oneSmallReadPerTurn = new LoopConfig(1024, 1, 256 * 1024, 64 * 1024, 1024 * 1024);
        CompletableFuture<Connection> opened = new CompletableFuture<>();
        CountDownLatch release = new CountDownLatch(1);
        try (TcpServer server = echoServer(transport).loopConfig(oneSmallReadPerTurn)
                .handler(() -> new CountUntilEnd(false, opened)).build().start();
                Socket socket = connect(server)) {
            opened.get(EchoClients.WAIT.toSeconds(), TimeUnit.SECONDS);
            EventLoop loop = server.loops().loops().get(0);
            try {
                // Keeps the loop from reading until the bytes and the FIN are all queued in the socket.
                loop.execute(() -> awaitQuietly(release));
                sendAndHalfClose(socket);
            } finally {
                release.countDown();
            }

            assertThat(answer(socket)).isEqualTo(PAYLOAD + "\n");
        }
    }

    private static void sendAndHalfClose(Socket socket) throws Exception {
        socket.getOutputStream().write(SeededBytes.array(20, PAYLOAD));
        socket.shutdownOutput();
        Thread.sleep(SETTLE_MILLIS);
    }

    /** Everything the server sends until it closes (bounded by the socket's read timeout). */
    private static String answer(Socket socket) throws Exception {
        return new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(EchoClients.WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Counts the bytes it is sent; at the end of the input answers with the count and closes. */
    private static final class CountUntilEnd implements Handler {
        private final boolean pauseOnOpen;
        private final CompletableFuture<Connection> opened;
        private long count;

        CountUntilEnd(boolean pauseOnOpen, CompletableFuture<Connection> opened) {
            this.pauseOnOpen = pauseOnOpen;
            this.opened = opened;
        }

        @Override
        public void onOpen(Connection connection) {
            if (pauseOnOpen) {
                connection.suspendReads();
            }
            opened.complete(connection);
        }

        @Override
        public void onData(Connection connection, ByteBuffer in) {
            count += in.remaining();
            in.position(in.limit());
        }

        @Override
        public void onInputShutdown(Connection connection) {
            connection.write(ByteBuffer.wrap((count + "\n").getBytes(StandardCharsets.US_ASCII)));
            connection.close();
        }
    }
}
