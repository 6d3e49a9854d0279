package io.jepoll.echo;

import static io.jepoll.echo.EchoClients.connect;
import static io.jepoll.echo.EchoClients.echoServer;
import static org.assertj.core.api.Assertions.assertThat;

import io.jepoll.loop.Transport;
import io.jepoll.net.Connection;
import io.jepoll.net.Handler;
import io.jepoll.server.TcpServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Connections closed by either side, and the server itself, give every fd back. */
@Timeout(120)
class FdLeakTest {

    private static final int CONNECTIONS = 1000;

    /** Echoes, but closes the connection itself when a message starts with {@code Q}. */
    private static final class QuittingEcho implements Handler {
        @Override
        public void onData(Connection connection, ByteBuffer in) {
            boolean quit = in.get(in.position()) == 'Q';
            connection.write(in);
            if (quit) {
                connection.close();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aThousandConnectionsClosedByEitherSideLeaveTheFdCountAsItWas(Transport transport) throws Exception {
        runServer(transport, 20);
        long before = ProcessResources.openFds();

        runServer(transport, CONNECTIONS);

        long after = ProcessResources.openFds();
        for (int i = 0; i < 50 && after != before; i++) {
            Thread.sleep(100);
            after = ProcessResources.openFds();
        }
        assertThat(after).as("open fds after %d connections and a server shutdown", CONNECTIONS).isEqualTo(before);
    }

    /** Half the connections are closed by the client, half by the server. */
    private static void runServer(Transport transport, int connections) throws Exception {
        try (TcpServer server = echoServer(transport).handler(QuittingEcho::new).build().start()) {
            for (int i = 0; i < connections; i++) {
                try (Socket socket = connect(server)) {
                    boolean serverCloses = i % 2 == 0;
                    byte[] message = {(byte) (serverCloses ? 'Q' : 'E'), (byte) i};
                    OutputStream out = socket.getOutputStream();
                    out.write(message);
                    InputStream in = socket.getInputStream();
                    assertThat(in.readNBytes(2)).isEqualTo(message);
                    if (serverCloses) {
                        assertThat(in.read()).as("end of stream after the server closed").isEqualTo(-1);
                    }
                }
            }
            EchoClients.awaitTrue("the server to close all " + connections + " connections",
                    () -> server.stats().connectionsClosed() == connections);
        }
    }
}
