package io.jepoll.echo;

import static io.jepoll.echo.EchoClients.assertEndOfStream;
import static io.jepoll.echo.EchoClients.await;
import static io.jepoll.echo.EchoClients.awaitTrue;
import static io.jepoll.echo.EchoClients.connect;
import static io.jepoll.echo.EchoClients.echoServer;
import static io.jepoll.echo.EchoClients.inBackground;
import static io.jepoll.echo.EchoClients.readExactly;
import static io.jepoll.echo.EchoClients.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jepoll.loop.EventLoop;
import io.jepoll.loop.Transport;
import io.jepoll.net.Connection;
import io.jepoll.net.Handler;
import io.jepoll.net.SocketOptions;
import io.jepoll.server.TcpServer;
import java.net.ConnectException;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Shutting a server down lets each connection finish sending what it has echoed, then closes
 * it; what cannot be sent within the grace period is dropped, and the loops end either way.
 */
@Timeout(60)
class GracefulShutdownTest {

    private static final Duration GRACE = Duration.ofSeconds(10);
    private static final Duration BOUND = Duration.ofSeconds(5);
    private static final Duration LONG_GRACE = Duration.ofSeconds(30);
    /** Far more than the small socket buffers hold, less than the high-water mark. */
    private static final int QUEUED_PAYLOAD = 128 * 1024;
    /** Less than one read buffer (64 KiB), far more than the small socket buffers hold. */
    private static final int ONE_READ_PAYLOAD = 48 * 1024;
    /** Small buffers on both ends, so that an echo backs up in the server. */
    private static final int SMALL_BUFFER = 4096;

    /**
     * The server has read the whole payload (so closing cannot turn into a reset for unread
     * input) and echoed it, and most of the echo is still queued in the server when it shuts
     * down. BLOCKING has no queue (its writes block until the kernel takes the bytes), so there
     * the socket buffers are made big enough to hold the echo instead.
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void shutdownSendsWhatIsQueuedThenEndOfStream(Transport transport) throws Exception {
        byte[] payload = SeededBytes.array(6, QUEUED_PAYLOAD);
        int buffers = transport == Transport.BLOCKING ? 1 << 20 : SMALL_BUFFER;
        Probe probe = Probe.free();
        try (TcpServer server = echoServer(transport).options(sendBuffer(buffers))
                .handler(() -> new ProbedEcho(probe)).build().start();
                Socket socket = connect(server.localAddress(), buffers)) {
            await(inBackground("writer", () -> socket.getOutputStream().write(payload)));
            awaitTrue("the server to read all " + QUEUED_PAYLOAD + " bytes",
                    () -> probe.received.get() == QUEUED_PAYLOAD);
            if (transport != Transport.BLOCKING) {
                assertThat(probe.pending.get()).as("output queued on the server at shutdown").isPositive();
            }

            server.loops().shutdown(GRACE);

            assertThat(readExactly(socket.getInputStream(), QUEUED_PAYLOAD)).isEqualTo(payload);
            assertEndOfStream(socket);
            assertThat(server.loops().awaitTermination(GRACE.plus(BOUND))).as("loops terminated").isTrue();
        }
    }

    /**
     * A drain closes an echo connection gracefully (echo has no point between requests to wait
     * for): what it echoed arrives, then the end of the stream; the port then refuses.
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void aDrainClosesEchoConnectionsGracefullyAndStopsAccepting(Transport transport) throws Exception {
        byte[] message = "before the drain".getBytes(StandardCharsets.US_ASCII);
        try (TcpServer server = echoServer(transport).build().start()) {
            CompletableFuture<Boolean> drained;
            try (Socket socket = connect(server)) {
                assertThat(roundTrip(socket, message)).isEqualTo(message);
                drained = CompletableFuture.supplyAsync(() -> {
                    try {
                        return server.drain(Duration.ZERO, GRACE);
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                });
                assertEndOfStream(socket);
            }
            assertThat(drained.get(GRACE.plus(BOUND).toSeconds(), TimeUnit.SECONDS))
                    .as("every connection closed by itself").isTrue();
            assertThatThrownBy(() -> new Socket(server.localAddress().getAddress(), server.port()).close())
                    .as("the port after the drain").isInstanceOf(ConnectException.class);
        }
    }

    /**
     * The server reads the whole payload in one read (its connection is held at open until the
     * payload is queued in the kernel), then its echo backs up behind small socket buffers: on
     * BLOCKING the handler is inside a write that has not returned when the server shuts down.
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void shutdownLetsAnEchoBeingWrittenFinishThenEndOfStream(Transport transport) throws Exception {
        byte[] payload = SeededBytes.array(7, ONE_READ_PAYLOAD);
        Probe probe = Probe.heldAtOpen();
        try (TcpServer server = echoServer(transport).options(sendBuffer(SMALL_BUFFER))
                .handler(() -> new ProbedEcho(probe)).build().start();
                Socket socket = connect(server.localAddress(), SMALL_BUFFER)) {
            try {
                socket.getOutputStream().write(payload);
                Thread.sleep(200); // for loopback to queue all of it at the server
            } finally {
                probe.open.countDown();
            }
            awaitTrue("the server to read all " + ONE_READ_PAYLOAD + " bytes",
                    () -> probe.received.get() == ONE_READ_PAYLOAD);

            server.loops().shutdown(GRACE);

            assertThat(readExactly(socket.getInputStream(), ONE_READ_PAYLOAD)).isEqualTo(payload);
            assertEndOfStream(socket);
            assertThat(server.loops().awaitTermination(GRACE.plus(BOUND))).as("loops terminated").isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void shutdownClosesAnIdleConnection(Transport transport) throws Exception {
        try (TcpServer server = EchoClients.startEchoServer(transport);
                Socket socket = connect(server)) {
            byte[] hello = "hello".getBytes(StandardCharsets.US_ASCII);
            assertThat(roundTrip(socket, hello)).isEqualTo(hello);

            server.loops().shutdown(GRACE);

            assertEndOfStream(socket);
            assertThat(server.loops().awaitTermination(GRACE.plus(BOUND))).as("loops terminated").isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void whatCannotBeSentWithinTheGraceIsDroppedAndTheLoopsEnd(Transport transport) throws Exception {
        Duration shortGrace = Duration.ofMillis(300);
        byte[] payload = SeededBytes.array(8, 128 * 1024);
        Probe probe = Probe.free();
        try (TcpServer server = echoServer(transport).options(sendBuffer(SMALL_BUFFER))
                .handler(() -> new ProbedEcho(probe)).build().start();
                Socket socket = connect(server.localAddress(), SMALL_BUFFER)) {
            CompletableFuture<Void> writer = inBackground("writer", () -> socket.getOutputStream().write(payload));
            awaitTrue("the server to receive bytes", () -> probe.received.get() > 0);

            server.loops().shutdown(shortGrace);

            assertThat(server.loops().awaitTermination(shortGrace.plus(BOUND))).as("loops terminated").isTrue();
            writer.handle((ignored, failure) -> null).get(EchoClients.WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(drainUntilClosed(socket)).as("echoed bytes that reached the client").isLessThan(payload.length);
        }
    }

    /**
     * A connection that closes on its own while the server shuts down (here its onClose is still
     * running) must not keep the loops waiting for the rest of the grace period once it is gone.
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void aConnectionClosingDuringShutdownDoesNotHoldTheLoopsForTheWholeGrace(Transport transport)
            throws Exception {
        CompletableFuture<Void> inOnClose = new CompletableFuture<>();
        CountDownLatch finishOnClose = new CountDownLatch(1);
        try (TcpServer server = echoServer(transport).handler(() -> new SlowToClose(inOnClose, finishOnClose))
                .build().start()) {
            try {
                try (Socket socket = connect(server)) {
                    byte[] hello = "hello".getBytes(StandardCharsets.US_ASCII);
                    assertThat(roundTrip(socket, hello)).isEqualTo(hello);
                }
                inOnClose.get(EchoClients.WAIT.toSeconds(), TimeUnit.SECONDS);
                try {
                    server.loops().shutdown(LONG_GRACE);
                    Thread.sleep(200); // for the loop to begin shutting down while onClose runs
                } finally {
                    finishOnClose.countDown();
                }

                assertThat(server.loops().awaitTermination(BOUND)).as("loops terminated, nothing being open").isTrue();
            } finally {
                wakeUp(server);
            }
        }
    }

    /**
     * A shutdown that comes while a handler is between the writes of one answer waits for the
     * whole answer: on BLOCKING the close must not happen at the end of whichever write of the
     * callback it arrived during, or the callback's later writes are dropped.
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void shutdownDuringACallbackLetsItFinishItsAnswer(Transport transport) throws Exception {
        CountDownLatch shutdownAsked = new CountDownLatch(1);
        try (TcpServer server = echoServer(transport).handler(() -> new AnswersInThreeWrites(shutdownAsked))
                .build().start();
                Socket socket = connect(server)) {
            socket.getOutputStream().write('?');
            assertThat(readExactly(socket.getInputStream(), 3)).isEqualTo(ascii("one"));

            server.loops().shutdown(GRACE);
            shutdownAsked.countDown();

            assertThat(readExactly(socket.getInputStream(), 8)).isEqualTo(ascii("twothree"));
            assertEndOfStream(socket);
            assertThat(server.loops().awaitTermination(GRACE.plus(BOUND))).as("loops terminated").isTrue();
        }
    }

    /** Answers any input with "one", then, once the test has asked for a shutdown, "two" and "three". */
    private static final class AnswersInThreeWrites implements Handler {
        private final CountDownLatch shutdownAsked;

        AnswersInThreeWrites(CountDownLatch shutdownAsked) {
            this.shutdownAsked = shutdownAsked;
        }

        @Override
        public void onData(Connection connection, ByteBuffer in) {
            in.position(in.limit());
            connection.write(ByteBuffer.wrap(ascii("one")));
            try {
                shutdownAsked.await(EchoClients.WAIT.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            connection.write(ByteBuffer.wrap(ascii("two")));
            connection.write(ByteBuffer.wrap(ascii("three")));
        }
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** Reads whatever reaches the client until the end of the stream or a reset; returns how much. */
    private static long drainUntilClosed(Socket socket) throws Exception {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        try {
            int n;
            while ((n = socket.getInputStream().read(buffer)) > 0) {
                total += n;
            }
        } catch (SocketException reset) {
            assertThat(reset.getMessage()).containsIgnoringCase("reset");
        }
        return total;
    }

    /** After a failure: a task wakes a loop that missed its last connection's close, so it ends now. */
    private static void wakeUp(TcpServer server) {
        for (EventLoop loop : server.loops().loops()) {
            try {
                loop.execute(() -> { });
            } catch (RejectedExecutionException terminated) {
                // nothing to wake
            }
        }
    }

    /** Echoes; its onClose says it has begun, then waits to be let go. */
    private static final class SlowToClose implements Handler {
        private final Handler echo = new EchoHandler();
        private final CompletableFuture<Void> inOnClose;
        private final CountDownLatch finish;

        SlowToClose(CompletableFuture<Void> inOnClose, CountDownLatch finish) {
            this.inOnClose = inOnClose;
            this.finish = finish;
        }

        @Override
        public void onData(Connection connection, ByteBuffer in) {
            echo.onData(connection, in);
        }

        @Override
        public void onClose(Connection connection, Throwable cause) {
            inOnClose.complete(null);
            try {
                finish.await(EchoClients.WAIT.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static SocketOptions sendBuffer(int bytes) {
        return SocketOptions.builder().sendBufferSize(bytes).build();
    }

    private static final class Probe {
        /** Holds every connection in onOpen until counted down. */
        final CountDownLatch open;
        final AtomicLong received = new AtomicLong();
        final AtomicLong pending = new AtomicLong();

        private Probe(int held) {
            this.open = new CountDownLatch(held);
        }

        static Probe free() {
            return new Probe(0);
        }

        static Probe heldAtOpen() {
            return new Probe(1);
        }
    }

    /** Echoes, counting the bytes it is handed and noting the output queued after each write. */
    private static final class ProbedEcho implements Handler {
        private final Handler echo = new EchoHandler();
        private final Probe probe;

        ProbedEcho(Probe probe) {
            this.probe = probe;
        }

        @Override
        public void onOpen(Connection connection) {
            try {
                probe.open.await(EchoClients.WAIT.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void onData(Connection connection, ByteBuffer in) {
            probe.received.addAndGet(in.remaining());
            echo.onData(connection, in);
            probe.pending.set(connection.pendingOutputBytes());
        }
    }
}
