package io.jepoll.echo;

import static io.jepoll.echo.EchoClients.assertEndOfStream;
import static io.jepoll.echo.EchoClients.awaitValue;
import static io.jepoll.echo.EchoClients.connect;
import static io.jepoll.echo.EchoClients.echoServer;
import static io.jepoll.echo.EchoClients.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;

import io.jepoll.loop.LoopStats;
import io.jepoll.loop.Transport;
import io.jepoll.net.Connection;
import io.jepoll.net.Handler;
import io.jepoll.server.TcpServer;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Thousands of brief connections on one loop, several at a time: the kernel hands each new
 * socket the fd number of one just closed, so a stale event or a double close would hit a
 * stranger's connection.
 */
@Timeout(60)
class ManyShortConnectionsTest {

    private static final int CONNECTIONS = 2000;
    private static final int CLIENTS = 8;

    @ParameterizedTest
    @EnumSource(Transport.class)
    void everyShortConnectionEchoesExactlyAndClosesOnce(Transport transport) throws Exception {
        Queue<CountingEcho> handlers = new ConcurrentLinkedQueue<>();
        try (TcpServer server = echoServer(transport).loops(1).handler(() -> {
            CountingEcho handler = new CountingEcho();
            handlers.add(handler);
            return handler;
        }).build().start()) {
            List<CompletableFuture<Void>> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int first = c;
                clients.add(EchoClients.inBackground("short-client-" + c, () -> {
                    for (int i = first; i < CONNECTIONS; i += CLIENTS) {
                        exchangeOnce(server, i);
                    }
                }));
            }
            for (CompletableFuture<Void> client : clients) {
                EchoClients.await(client);
            }

            awaitValue("onClose for every connection", () -> handlers.stream().mapToInt(h -> h.closes.get()).sum(),
                    closed -> closed >= CONNECTIONS);
            LoopStats stats = awaitValue("the server's counters to catch up", server::stats,
                    s -> s.connectionsClosed() >= CONNECTIONS);
            assertThat(stats.connectionsOpened()).isEqualTo(CONNECTIONS);
            assertThat(stats.connectionsClosed()).isEqualTo(CONNECTIONS);
            assertThat(stats.bytesRead()).isEqualTo(16L * CONNECTIONS);
            assertThat(handlers).hasSize(CONNECTIONS)
                    .allSatisfy(handler -> {
                        assertThat(handler.opens.get()).as("onOpen calls").isEqualTo(1);
                        assertThat(handler.closes.get()).as("onClose calls").isEqualTo(1);
                        assertThat(handler.closeCause).as("onClose's cause").isNull();
                    });
        }
    }

    /** Connects, sends 16 bytes of its own, checks the echo, half-closes and waits for the server's close. */
    private static void exchangeOnce(TcpServer server, int index) throws Exception {
        byte[] message = SeededBytes.array(100_000 + index, 16);
        try (Socket socket = connect(server)) {
            assertThat(roundTrip(socket, message)).as("echo on connection %d", index).isEqualTo(message);
            socket.shutdownOutput();
            assertEndOfStream(socket);
        }
    }

    private static final class CountingEcho implements Handler {
        private final Handler echo = new EchoHandler();
        final AtomicInteger opens = new AtomicInteger();
        final AtomicInteger closes = new AtomicInteger();
        volatile Throwable closeCause;

        @Override
        public void onOpen(Connection connection) {
            opens.incrementAndGet();
        }

        @Override
        public void onData(Connection connection, ByteBuffer in) {
            echo.onData(connection, in);
        }

        @Override
        public void onClose(Connection connection, Throwable cause) {
            closeCause = cause;
            closes.incrementAndGet();
        }
    }
}
