package io.jepoll.tls;

import static io.jepoll.echo.EchoClients.assumeAvailable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.jepoll.TestTls;
import io.jepoll.echo.EchoClients;
import io.jepoll.echo.EchoHandler;
import io.jepoll.echo.SeededBytes;
import io.jepoll.loop.Transport;
import io.jepoll.net.Connection;
import io.jepoll.net.Handler;
import io.jepoll.server.TcpClient;
import io.jepoll.server.TcpServer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The {@link Connection} and {@link Handler} contracts as the TLS layer keeps them, where a
 * plain connection keeps them already: ordered output whoever writes, no callback after a close,
 * no buffers held by an idle connection, and a client's connect future that tells the truth.
 */
@Timeout(60)
class TlsContractTest {

    private static final byte[] TICK = "TICK".getBytes(StandardCharsets.US_ASCII);

    /**
     * A handler writes a large answer to a peer that is not reading yet; meanwhile one of its
     * timers writes a few bytes more. A plain connection sends them after the answer, in order
     * (on the blocking transport the timer's write waits for the blocked one); over TLS every
     * record must also reach the peer in the order it was encrypted.
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void aTimerWritingWhileTheHandlersWriteIsBlockedLeavesTheStreamIntact(Transport transport) throws Exception {
        assumeAvailable(transport);
        byte[] answer = SeededBytes.array(11, 32 << 20);
        try (TcpServer server = TcpServer.builder().transport(transport).tls(TestTls.server())
                .handler(() -> new AnswerThenTick(answer)).build().start();
                SSLSocket socket = TlsEchoTest.connect(server, "TLSv1.3")) {
            socket.getOutputStream().write('!');
            Thread.sleep(800);

            byte[][] received = new byte[2][];
            Throwable failure = catchThrowable(() -> {
                received[0] = EchoClients.readExactly(socket.getInputStream(), answer.length);
                received[1] = EchoClients.readExactly(socket.getInputStream(), TICK.length);
            });

            assertThat(failure).as("reading the answer and the tick").isNull();
            assertThat(received[0]).isEqualTo(answer);
            assertThat(received[1]).isEqualTo(TICK);
        }
    }

    /**
     * A handler that closes hears of nothing more but its onClose, as on a plain connection (a
     * plain connection that closed drains the peer's input unseen): here the peer's last bytes
     * and its close_notify arrive in one read, and the handler closes on the bytes.
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void aHandlerThatClosedIsNotToldOfTheEndOfInput(Transport transport) throws Exception {
        assumeAvailable(transport);
        ClosingOnFirstData handler = new ClosingOnFirstData();
        try (TcpServer server = TcpServer.builder().transport(transport).tls(TestTls.server())
                .handler(() -> handler).build().start();
                SSLSocket socket = TlsEchoTest.connect(server, "TLSv1.3")) {
            socket.getOutputStream().write('x');
            socket.shutdownOutput();

            assertThat(socket.getInputStream().read()).as("the end of the stream").isEqualTo(-1);
            EchoClients.awaitTrue("the server closed", handler.closed::get);
            assertThat(handler.afterClose).as("callbacks after the handler closed, onClose aside").isEmpty();
        }
    }

    /**
     * The TLS layer borrows its buffers for each call, so an idle connection holds none: on the
     * blocking transport, where every connection has a thread, per-thread buffers would have
     * held some 270 KB a connection for its life.
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void idleConnectionsHoldNoTlsBuffers(Transport transport) throws Exception {
        assumeAvailable(transport);
        int connections = 64;
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        try (TcpServer server = TcpServer.builder().transport(transport).tls(TestTls.server())
                .handler(EchoHandler::new).build().start()) {
            try (SSLSocket warmUp = TlsEchoTest.connect(server, "TLSv1.3")) {
                EchoClients.roundTrip(warmUp, new byte[] {1});
            }
            long before = heapAfterGc(memory);
            List<SSLSocket> sockets = new ArrayList<>();
            try {
                for (int i = 0; i < connections; i++) {
                    SSLSocket socket = TlsEchoTest.connect(server, "TLSv1.3");
                    sockets.add(socket);
                    EchoClients.roundTrip(socket, new byte[] {(byte) i});
                }
                long perConnection = (heapAfterGc(memory) - before) / connections;

                assertThat(perConnection).as("heap bytes per idle TLS connection, client's side included")
                        .isLessThan(128 * 1024);
            } finally {
                for (SSLSocket socket : sockets) {
                    socket.close();
                }
            }
        }
    }

    /**
     * A handler that aborts in onOpen has heard of the connection: without TLS the connect's
     * future completes with it, and "the handler then hears nothing" holds only for a failure.
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void aHandlerAbortingInOnOpenStillCompletesTheConnect(Transport transport) throws Exception {
        assumeAvailable(transport);
        TcpClient client = TcpClient.builder().transport(transport).tls(TestTls.client()).build().start();
        try (TcpServer server = TcpServer.builder().transport(transport).tls(TestTls.server())
                .handler(EchoHandler::new).build().start()) {
            AbortingOnOpen handler = new AbortingOnOpen();
            CompletableFuture<Connection> connect = client.connect(server.localAddress(), handler);
            Throwable failure = catchThrowable(() -> connect.get(EchoClients.WAIT.toMillis(), TimeUnit.MILLISECONDS));

            assertThat(handler.opened.get()).as("onOpen ran").isTrue();
            assertThat(failure).as("the connect's failure, after the handler's onOpen ran").isNull();
        } finally {
            client.close();
        }
    }

    private static long heapAfterGc(MemoryMXBean memory) throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    /** On its first bytes: a timer that writes {@link #TICK} soon, then the answer in one write. */
    private static final class AnswerThenTick implements Handler {
        private final byte[] answer;
        private boolean answered;

        AnswerThenTick(byte[] answer) {
            this.answer = answer;
        }

        @Override
        public void onData(Connection connection, ByteBuffer in) {
            in.position(in.limit());
            if (!answered) {
                answered = true;
                connection.schedule(() -> connection.write(ByteBuffer.wrap(TICK)), 200, TimeUnit.MILLISECONDS);
                connection.write(ByteBuffer.wrap(answer));
            }
        }
    }

    /**
     * Closes on its first bytes; reads are paused a moment after the handshake, so that what the
     * client sends next arrives in one read.
     */
    private static final class ClosingOnFirstData implements Handler {
        final List<String> afterClose = new CopyOnWriteArrayList<>();
        final AtomicBoolean closed = new AtomicBoolean();
        private boolean closing;

        @Override
        public void onOpen(Connection connection) {
            connection.suspendReads();
            connection.schedule(connection::resumeReads, 300, TimeUnit.MILLISECONDS);
        }

        @Override
        public void onData(Connection connection, ByteBuffer in) {
            if (closing) {
                afterClose.add("onData");
            }
            in.position(in.limit());
            closing = true;
            connection.close();
        }

        @Override
        public void onInputShutdown(Connection connection) {
            if (closing) {
                afterClose.add("onInputShutdown");
            }
            connection.close();
        }

        @Override
        public void onClose(Connection connection, Throwable cause) {
            closed.set(true);
        }
    }

    private static final class AbortingOnOpen implements Handler {
        final AtomicBoolean opened = new AtomicBoolean();

        @Override
        public void onOpen(Connection connection) {
            opened.set(true);
            connection.abort();
        }

        @Override
        public void onData(Connection connection, ByteBuffer in) {
            in.position(in.limit());
        }
    }
}
