package io.jepoll.echo;

import static io.jepoll.echo.EchoClients.assertEndOfStream;
import static io.jepoll.echo.EchoClients.awaitValue;
import static io.jepoll.echo.EchoClients.connect;
import static io.jepoll.echo.EchoClients.echo;
import static io.jepoll.echo.EchoClients.readExactly;
import static org.assertj.core.api.Assertions.assertThat;

import io.jepoll.loop.EventLoop;
import io.jepoll.loop.LoopStats;
import io.jepoll.loop.Transport;
import io.jepoll.net.SocketOptions;
import io.jepoll.server.TcpServer;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The echo server gives every byte back, in order, on every transport, with one loop and with
 * two: sharing one listener, or each with its own on the port through SO_REUSEPORT.
 */
@Timeout(60)
class EchoServerTest {

    static Stream<Arguments> transportsAndLoopCounts() {
        return Stream.of(Transport.values()).flatMap(transport -> Stream.of(
                Arguments.of(transport, 1, false), Arguments.of(transport, 2, false), Arguments.of(transport, 2, true)));
    }

    private static TcpServer.Builder echoServer(Transport transport, int loops, boolean reusePort) {
        return EchoClients.echoServer(transport).loops(loops)
                .options(SocketOptions.builder().reusePort(reusePort).build());
    }

    @ParameterizedTest(name = "{0}, {1} loop(s), reusePort {2}")
    @MethodSource("transportsAndLoopCounts")
    void echoesAMegabyteExactly(Transport transport, int loops, boolean reusePort) throws Exception {
        byte[] payload = SeededBytes.array(1, 1 << 20);
        try (TcpServer server = echoServer(transport, loops, reusePort).build().start();
                Socket socket = connect(server)) {
            assertThat(echo(socket, payload, false)).isEqualTo(payload);
        }
    }

    @ParameterizedTest(name = "{0}, {1} loop(s), reusePort {2}")
    @MethodSource("transportsAndLoopCounts")
    void echoesTwoHundredConcurrentConnectionsExactly(Transport transport, int loops, boolean reusePort) throws Exception {
        int connections = 200;
        int bytesEach = 64 * 1024;
        ExecutorService clients = Executors.newFixedThreadPool(16, daemonThreads());
        List<Socket> sockets = new ArrayList<>();
        try (TcpServer server = echoServer(transport, loops, reusePort).build().start()) {
            // Every connection is open before any data moves, so the server holds all 200 at once.
            for (int i = 0; i < connections; i++) {
                sockets.add(connect(server));
            }
            List<Future<byte[]>> echoes = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                Socket socket = sockets.get(i);
                byte[] payload = SeededBytes.array(1000 + i, bytesEach);
                // 64 KiB fits the loopback socket buffers, so writing it all before reading cannot deadlock.
                echoes.add(clients.submit(() -> {
                    socket.getOutputStream().write(payload);
                    return readExactly(socket.getInputStream(), payload.length);
                }));
            }
            for (int i = 0; i < connections; i++) {
                assertThat(echoes.get(i).get(EchoClients.WAIT.toSeconds(), TimeUnit.SECONDS))
                        .as("echo on connection %d", i)
                        .isEqualTo(SeededBytes.array(1000 + i, bytesEach));
            }
            for (EventLoop loop : server.loops().loops()) {
                assertThat(loop.stats().connectionsOpened()).as("connections accepted by %s", loop).isPositive();
            }
        } finally {
            clients.shutdownNow();
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }

    @ParameterizedTest(name = "{0}, {1} loop(s), reusePort {2}")
    @MethodSource("transportsAndLoopCounts")
    void halfCloseGetsTheWholeEchoThenEndOfStream(Transport transport, int loops, boolean reusePort) throws Exception {
        byte[] payload = SeededBytes.array(2, 256 * 1024);
        try (TcpServer server = echoServer(transport, loops, reusePort).build().start();
                Socket socket = connect(server)) {
            assertThat(echo(socket, payload, true)).isEqualTo(payload);
            assertEndOfStream(socket);
        }
    }

    @ParameterizedTest(name = "{0}, {1} loop(s), reusePort {2}")
    @MethodSource("transportsAndLoopCounts")
    void countersMatchTheTrafficAndEveryConnectionCloses(Transport transport, int loops, boolean reusePort) throws Exception {
        int connections = 10;
        long total = 0;
        try (TcpServer server = echoServer(transport, loops, reusePort).build().start()) {
            for (int i = 0; i < connections; i++) {
                byte[] payload = SeededBytes.array(3000 + i, 10_000 * (i + 1));
                try (Socket socket = connect(server)) {
                    assertThat(echo(socket, payload, false)).isEqualTo(payload);
                }
                total += payload.length;
            }
            long sent = total;
            LoopStats stats = awaitValue("the server's counters to catch up", server::stats,
                    s -> s.connectionsClosed() == connections && s.bytesWritten() == sent);
            assertThat(stats.bytesRead()).isEqualTo(sent);
            assertThat(stats.bytesWritten()).isEqualTo(sent);
            assertThat(stats.connectionsOpened()).isEqualTo(connections);
            assertThat(stats.connectionsClosed()).isEqualTo(connections);
        }
    }

    private static ThreadFactory daemonThreads() {
        return task -> {
            Thread thread = new Thread(task, "echo-client");
            thread.setDaemon(true);
            return thread;
        };
    }
}
