package io.jepoll.server;

import static io.jepoll.echo.EchoClients.assumeAvailable;
import static io.jepoll.echo.EchoClients.closedPort;
import static io.jepoll.echo.EchoClients.startEchoServer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jepoll.LoggedWarnings;
import io.jepoll.echo.EchoClients;
import io.jepoll.echo.SeededBytes;
import io.jepoll.loop.Transport;
import io.jepoll.net.Connection;
import io.jepoll.net.Handler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A client makes outbound connections that a handler serves like accepted ones, on every transport. */
@Timeout(60)
class TcpClientTest {

    @ParameterizedTest
    @EnumSource(Transport.class)
    void anOutboundConnectionSendsOnOpenAndGetsTheEchoBack(Transport transport) throws Exception {
        assumeAvailable(transport);
        // Bigger than the socket buffers take at once, so some of it waits in the connection's queue.
        byte[] message = SeededBytes.array(31, 512 * 1024);
        TcpClient client = TcpClient.builder().transport(transport).build().start();
        try (TcpServer server = startEchoServer(transport)) {
            EchoCollector collector = new EchoCollector(message);

            Connection connection = get(client.connect(server.localAddress(), collector));

            assertThat(connection.remoteAddress()).isEqualTo(server.localAddress());
            assertThat(get(collector.echo)).isEqualTo(message);
            assertThat(get(collector.closed)).as("onClose's cause").isEmpty();
        } finally {
            shutDown(client);
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aClientConnectsOnlyOnceStarted(Transport transport) {
        assumeAvailable(transport);
        TcpClient client = TcpClient.builder().transport(transport).build();

        assertThat(catchThrowable(() -> client.connect(new InetSocketAddress("127.0.0.1", 9), new EchoCollector(
                new byte[] {1})))).isInstanceOf(IllegalStateException.class).hasMessageContaining("start()");
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aRefusedConnectFailsTheFutureAndTheLoopGoesOn(Transport transport) throws Exception {
        assumeAvailable(transport);
        TcpClient client = TcpClient.builder().transport(transport).build().start();
        try (TcpServer server = startEchoServer(transport)) {
            EchoCollector refused = new EchoCollector(new byte[] {1});
            InetSocketAddress nobody = new InetSocketAddress("127.0.0.1", closedPort());

            Throwable failure = catchThrowable(() -> get(client.connect(nobody, refused)));

            assertThat(failure).isInstanceOf(ExecutionException.class);
            if (transport.isNative()) {
                assertThat(failure.getCause()).isInstanceOf(IOException.class).hasMessageContaining("ECONNREFUSED");
            } else {
                assertThat(failure.getCause()).isInstanceOf(ConnectException.class);
            }
            assertThat(refused.opened).as("onOpen of a connection that never opened").isFalse();
            assertThat(refused.closed).as("onClose of a connection that never opened").isNotDone();

            byte[] message = {'s', 't', 'i', 'l', 'l', ' ', 'h', 'e', 'r', 'e'};
            EchoCollector next = new EchoCollector(message);
            get(client.connect(server.localAddress(), next));
            assertThat(get(next.echo)).isEqualTo(message);
        } finally {
            shutDown(client);
        }
    }

    /**
     * A connect still under way when the client shuts down (its SYNs dropped by a listener whose
     * accept queue is full) is ended at once, its future failed, and nothing is logged.
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void aShutdownEndsAConnectStillUnderWayQuietly(Transport transport) throws Exception {
        assumeAvailable(transport);
        List<Socket> queued = new ArrayList<>();
        try (ServerSocket neverAccepts = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assumeTrue(fillAcceptQueue(neverAccepts, queued), "the kernel did not drop SYNs to a full accept queue");
            TcpClient client = TcpClient.builder().transport(transport).build().start();
            EchoCollector handler = new EchoCollector(new byte[] {1});
            try (LoggedWarnings warnings = LoggedWarnings.capture()) {
                CompletableFuture<Connection> connecting = client.connect(
                        (InetSocketAddress) neverAccepts.getLocalSocketAddress(), handler);
                Thread.sleep(300);
                assertThat(connecting).as("the connect, its SYN dropped").isNotDone();

                long start = System.nanoTime();
                assertThat(client.shutdown(Duration.ofSeconds(5))).as("client loops terminated").isTrue();
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

                assertThat(millis).as("shutdown time, ms; the grace period is 5 s").isLessThan(2000);
                assertThat(catchThrowable(() -> get(connecting))).isInstanceOf(ExecutionException.class);
                assertThat(handler.opened).as("onOpen of a connection that never opened").isFalse();
                assertThat(warnings.lines()).isEmpty();
            }
        } finally {
            for (Socket socket : queued) {
                socket.close();
            }
        }
    }

    /** Connects until a connect times out: the listener's accept queue is then full. */
    private static boolean fillAcceptQueue(ServerSocket listener, List<Socket> queued) throws IOException {
        for (int i = 0; i < 16; i++) {
            Socket socket = new Socket();
            try {
                socket.connect(listener.getLocalSocketAddress(), 300);
                queued.add(socket);
            } catch (SocketTimeoutException full) {
                socket.close();
                return true;
            }
        }
        return false;
    }

    private static <T> T get(CompletableFuture<T> future) throws Exception {
        return future.get(EchoClients.WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private static void shutDown(TcpClient client) throws InterruptedException {
        assertThat(client.shutdown(Duration.ofSeconds(1))).as("client loops terminated").isTrue();
    }

    /** Sends its message on open, collects the echo, and closes once all of it is back. */
    private static final class EchoCollector implements Handler {
        private final byte[] message;
        private final ByteArrayOutputStream received = new ByteArrayOutputStream();
        final CompletableFuture<byte[]> echo = new CompletableFuture<>();
        final CompletableFuture<Optional<Throwable>> closed = new CompletableFuture<>();
        final AtomicBoolean opened = new AtomicBoolean();

        EchoCollector(byte[] message) {
            this.message = message;
        }

        @Override
        public void onOpen(Connection connection) {
            opened.set(true);
            connection.write(ByteBuffer.wrap(message));
        }

        @Override
        public void onData(Connection connection, ByteBuffer in) {
            byte[] chunk = new byte[in.remaining()];
            in.get(chunk);
            received.write(chunk, 0, chunk.length);
            if (received.size() >= message.length) {
                echo.complete(received.toByteArray());
                connection.close();
            }
        }

        @Override
        public void onClose(Connection connection, Throwable cause) {
            closed.complete(Optional.ofNullable(cause));
        }
    }
}
