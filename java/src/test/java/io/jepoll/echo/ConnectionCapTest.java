package io.jepoll.echo;

import static io.jepoll.echo.EchoClients.awaitTrue;
import static io.jepoll.echo.EchoClients.connect;
import static io.jepoll.echo.EchoClients.echoServer;
import static io.jepoll.echo.EchoClients.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;

import io.jepoll.loop.Transport;
import io.jepoll.server.TcpServer;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A server with {@code maxConnections} keeps serving its connections and refuses the ones past
 * the cap at once (reset), over all its loops, and takes new ones again as connections close.
 */
@Timeout(60)
class ConnectionCapTest {

    private static final byte[] MESSAGE = SeededBytes.array(7, 100);

    @ParameterizedTest
    @EnumSource(Transport.class)
    void pastTheCapANewConnectionIsRefusedAndTheOthersKeepWorking(Transport transport) throws Exception {
        EchoClients.assumeAvailable(transport);
        try (TcpServer server = echoServer(transport).maxConnections(2).build().start();
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
        try (TcpServer server = echoServer(transport).loops(2).maxConnections(4).build().start()) {
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
