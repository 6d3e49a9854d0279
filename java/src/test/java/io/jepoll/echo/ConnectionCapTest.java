package io.jepoll.echo;

import static io.jepoll.echo.EchoClients.awaitTrue;
import static io.jepoll.echo.EchoClients.connect;
import static io.jepoll.echo.EchoClients.echoServer;
import static io.jepoll.echo.EchoClients.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;

import io.jepoll.loop.Transport;
import io.jepoll.net.Activity;
import io.jepoll.net.Connection;
import io.jepoll.net.Handler;
import io.jepoll.server.TcpServer;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A server with {@code maxConnections} keeps serving its connections, over all its loops. At the
 * cap a new connection takes the place of the oldest one that does nothing (awaiting a request or
 * idle); when all are busy, it is refused at once (reset), and new ones are taken again as
 * connections close.
 */
@Timeout(60)
class ConnectionCapTest {

    private static final byte[] MESSAGE = SeededBytes.array(7, 100);

    @ParameterizedTest
    @EnumSource(Transport.class)
    void pastTheCapANewConnectionIsRefusedAndTheOthersKeepWorking(Transport transport) throws Exception {
        EchoClients.assumeAvailable(transport);
        try (TcpServer server = busyEcho(transport).maxConnections(2).build().start();
                Socket first = connect(server); Socket second = connect(server)) {
            assertThat(roundTrip(first, MESSAGE)).isEqualTo(MESSAGE);
            assertThat(roundTrip(second, MESSAGE)).isEqualTo(MESSAGE);

            try (Socket third = connect(server)) {
                assertRefused(third);
            }
            assertThat(roundTrip(first, MESSAGE)).isEqualTo(MESSAGE);
            assertThat(roundTrip(second, MESSAGE)).isEqualTo(MESSAGE);

            first.close();
            awaitTrue("a new connection is served once one has closed", () -> echoes(server));
            assertThat(roundTrip(second, MESSAGE)).isEqualTo(MESSAGE);
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void theCapCountsTheConnectionsOfEveryLoop(Transport transport) throws Exception {
        EchoClients.assumeAvailable(transport);
        List<Socket> open = new ArrayList<>();
        try (TcpServer server = busyEcho(transport).loops(2).maxConnections(4).build().start()) {
            for (int i = 0; i < 4; i++) {
                Socket socket = connect(server);
                open.add(socket);
                assertThat(roundTrip(socket, MESSAGE)).isEqualTo(MESSAGE);
            }
            for (int i = 0; i < 4; i++) {
                try (Socket extra = connect(server)) {
                    assertRefused(extra);
                }
            }
        } finally {
            for (Socket socket : open) {
                socket.close();
            }
        }
    }

    /** The case: connections that never send hold the cap no longer. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void atTheCapTheOldestSilentConnectionMakesRoom(Transport transport) throws Exception {
        EchoClients.assumeAvailable(transport);
        List<Socket> silent = new ArrayList<>();
        List<Socket> real = new ArrayList<>();
        try (TcpServer server = echoServer(transport).maxConnections(3).build().start()) {
            for (int i = 0; i < 3; i++) {
                silent.add(connect(server));
            }
            awaitTrue("the three silent connections are open", () -> server.stats().connectionsOpened() == 3);
            for (int i = 0; i < 3; i++) {
                real.add(connect(server));
                assertThat(roundTrip(real.get(i), MESSAGE)).as("real client %d", i).isEqualTo(MESSAGE);
                assertClosedByServer(silent.get(i));
            }
            for (Socket client : real) {
                assertThat(roundTrip(client, MESSAGE)).as("a real client, still served").isEqualTo(MESSAGE);
            }
        } finally {
            for (Socket socket : silent) {
                socket.close();
            }
            for (Socket socket : real) {
                socket.close();
            }
        }
    }

    /** An echo connection that has been served is idle between reads: closed gracefully for a newcomer. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void atTheCapAnIdleConnectionIsClosedGracefullyForANewOne(Transport transport) throws Exception {
        EchoClients.assumeAvailable(transport);
        try (TcpServer server = echoServer(transport).maxConnections(1).build().start();
                Socket first = connect(server)) {
            assertThat(roundTrip(first, MESSAGE)).isEqualTo(MESSAGE);
            try (Socket second = connect(server)) {
                assertThat(roundTrip(second, MESSAGE)).isEqualTo(MESSAGE);
            }
            assertThat(first.getInputStream().read()).as("the idle connection ends with a FIN").isEqualTo(-1);
        }
    }

    /**
     * Graceful, not an abort: an idle connection's answer still queued for a peer that reads
     * slowly reaches it whole before the end of stream (an abort would cut it short).
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void atTheCapAnIdleConnectionsQueuedAnswerIsFlushedBeforeItCloses(Transport transport) throws Exception {
        int answerBytes = 16 << 20;
        TcpServer.Builder answering = echoServer(transport).maxConnections(1).handler(() -> new Handler() {
            @Override
            public void onData(Connection connection, ByteBuffer in) {
                in.position(in.limit());
                // Idle first: on the blocking transport the write returns only once the peer has read it all.
                connection.activity(Activity.IDLE);
                connection.write(ByteBuffer.allocate(answerBytes));
            }
        });
        try (TcpServer server = answering.build().start();
                Socket slowReader = connect(server.localAddress(), 4096)) {
            slowReader.getOutputStream().write('?');
            awaitTrue("the answer begun", () -> server.stats().bytesWritten() > 0);

            try (Socket newcomer = connect(server)) {
                long received = 0;
                byte[] chunk = new byte[64 * 1024];
                for (int n; (n = slowReader.getInputStream().read(chunk)) >= 0; ) {
                    received += n;
                }
                assertThat(received).as("bytes of the answer received before the end of stream")
                        .isEqualTo(answerBytes);
            }
        }
    }

    /** Echo, reporting each connection busy: nothing to evict, so the cap refuses. */
    private static TcpServer.Builder busyEcho(Transport transport) {
        return echoServer(transport).handler(() -> new Handler() {
            @Override
            public void onOpen(Connection connection) {
                connection.activity(Activity.BUSY);
            }

            @Override
            public void onData(Connection connection, ByteBuffer in) {
                connection.write(in);
            }
        });
    }

    /** Closed by the server: end of stream, or a reset. */
    private static void assertClosedByServer(Socket socket) throws IOException {
        try {
            assertThat(socket.getInputStream().read()).as("read on a connection the server closed").isEqualTo(-1);
        } catch (SocketException reset) {
            // Aborted: closed just as well.
        }
    }

    /** The server ends a refused connection without an answer: end of stream or a reset. */
    private static void assertRefused(Socket socket) throws IOException {
        try {
            socket.getOutputStream().write(MESSAGE);
            assertThat(socket.getInputStream().read()).as("read on a refused connection").isEqualTo(-1);
        } catch (SocketException resetOrBrokenPipe) {
            // Refused just as well: the reset came before the write or the read.
        }
    }

    private static boolean echoes(TcpServer server) {
        try (Socket socket = connect(server)) {
            return Arrays.equals(roundTrip(socket, MESSAGE), MESSAGE);
        } catch (IOException | AssertionError refused) {
            return false;
        }
    }
}
