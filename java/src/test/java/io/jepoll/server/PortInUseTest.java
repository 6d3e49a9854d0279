package io.jepoll.server;

import static io.jepoll.echo.EchoClients.assumeAvailable;
import static io.jepoll.echo.EchoClients.connect;
import static io.jepoll.echo.EchoClients.echoServer;
import static io.jepoll.echo.EchoClients.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jepoll.loop.EventLoop;
import io.jepoll.loop.Transport;
import io.jepoll.net.Connection;
import io.jepoll.net.Handler;
import io.jepoll.net.SocketOptions;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A port holds one server: a second one fails to bind, whatever the transports and loop counts
 * of both, unless both ask for SO_REUSEPORT. A server's own loops share its port either way.
 */
@Timeout(60)
class PortInUseTest {

    private static final byte[] MESSAGE = "hello\n".getBytes(StandardCharsets.US_ASCII);

    /** Every pair of transports, the first server with one loop or two, the second with one or two. */
    static Stream<Arguments> pairs() {
        return Stream.of(Transport.values()).flatMap(first -> Stream.of(Transport.values()).flatMap(second ->
                Stream.of(Arguments.of(first, 1, second, 1), Arguments.of(first, 2, second, 2))));
    }

    @ParameterizedTest(name = "{0} x{1}, then {2} x{3}")
    @MethodSource("pairs")
    void aSecondServerOnATakenPortFailsAndTheFirstServesOn(Transport first, int firstLoops, Transport second,
            int secondLoops) throws Exception {
        assumeAvailable(first);
        assumeAvailable(second);
        try (TcpServer holder = echoServer(first).loops(firstLoops).build().start()) {
            TcpServer intruder = echoServer(second).loops(secondLoops).port(holder.port()).build();

            assertThatThrownBy(intruder::start).isInstanceOf(BindException.class)
                    .hasMessageContaining("127.0.0.1:" + holder.port())
                    .hasMessageContaining("Address already in use");
            for (int i = 0; i < 4; i++) {
                try (Socket socket = connect(holder)) {
                    assertThat(roundTrip(socket, MESSAGE)).isEqualTo(MESSAGE);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aPortHeldByAnotherProgramFailsTheBind(Transport transport) throws Exception {
        assumeAvailable(transport);
        try (ServerSocket other = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            TcpServer server = echoServer(transport).loops(2).port(other.getLocalPort()).build();

            assertThatThrownBy(server::start).isInstanceOf(BindException.class)
                    .hasMessageContaining("127.0.0.1:" + other.getLocalPort());
        }
    }

    /** Every loop's share of the listener is closed at shutdown: the port is free again at once. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void theLoopsOfAClosedServerLeaveThePortFree(Transport transport) throws Exception {
        assumeAvailable(transport);
        int port;
        try (TcpServer server = echoServer(transport).loops(3).build().start()) {
            port = server.port();
            for (int i = 0; i < 6; i++) {
                try (Socket socket = connect(server)) {
                    assertThat(roundTrip(socket, MESSAGE)).isEqualTo(MESSAGE);
                }
            }
        }
        try (ServerSocket again = new ServerSocket()) {
            again.bind(new InetSocketAddress("127.0.0.1", port));
            assertThat(again.getLocalPort()).isEqualTo(port);
        }
    }

    /**
     * Every loop has a socket on the port, not only the one that bound it first: with that one
     * shut down (its socket closed), the others go on serving the port.
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void theOtherLoopsServeOnWhenTheLoopThatBoundFirstShutsDown(Transport transport) throws Exception {
        try (TcpServer server = echoServer(transport).loops(2).build().start()) {
            EventLoop binder = server.loops().loops().get(0);
            EventLoop other = server.loops().loops().get(1);
            binder.shutdown(Duration.ZERO);
            assertThat(binder.awaitTermination(Duration.ofSeconds(10))).as("the first loop ended").isTrue();

            for (int i = 0; i < 4; i++) {
                try (Socket socket = connect(server)) {
                    assertThat(roundTrip(socket, MESSAGE)).isEqualTo(MESSAGE);
                }
            }
            assertThat(other.stats().connectionsOpened()).as("connections the second loop took").isEqualTo(4);
        }
    }

    /** A loop shut down alone takes its socket with it: the kernel hands new connections to the others. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void aLoopShutDownAloneGetsNoNewConnections(Transport transport) throws Exception {
        try (TcpServer server = echoServer(transport).loops(2).build().start()) {
            EventLoop first = server.loops().loops().get(0);
            EventLoop second = server.loops().loops().get(1);
            second.shutdown(Duration.ZERO);
            assertThat(second.awaitTermination(Duration.ofSeconds(10))).as("the second loop ended").isTrue();

            for (int i = 0; i < 4; i++) {
                try (Socket socket = connect(server)) {
                    assertThat(roundTrip(socket, MESSAGE)).isEqualTo(MESSAGE);
                }
            }
            assertThat(first.stats().connectionsOpened()).as("connections the first loop took").isEqualTo(4);
        }
    }

    /**
     * The kernel spreads a burst of connections over the loops (SO_REUSEPORT hashes each to one
     * socket): of 64, each of two loops gets at least 8, which fails by chance about once in 10^10.
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void aBurstOfConnectionsIsSpreadOverTheLoops(Transport transport) throws Exception {
        assumeAvailable(transport);
        List<Socket> sockets = new ArrayList<>();
        try (TcpServer server = echoServer(transport).loops(2).build().start()) {
            for (int i = 0; i < 64; i++) {
                sockets.add(connect(server));
            }
            for (Socket socket : sockets) {
                assertThat(roundTrip(socket, MESSAGE)).isEqualTo(MESSAGE);
            }
            for (EventLoop loop : server.loops().loops()) {
                assertThat(loop.stats().connectionsOpened()).as("connections %s took of 64", loop).isGreaterThanOrEqualTo(8);
            }
        } finally {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }

    /** Asked for by both, SO_REUSEPORT lets two servers share a port, and the kernel gives each a part. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void reusePortOnBothLetsTwoServersShareThePort(Transport transport) throws Exception {
        assumeAvailable(transport);
        SocketOptions reusePort = SocketOptions.builder().reusePort(true).build();
        AtomicInteger servedByFirst = new AtomicInteger();
        AtomicInteger servedBySecond = new AtomicInteger();
        try (TcpServer first = counting(transport, reusePort, servedByFirst, 0).build().start();
                TcpServer second = counting(transport, reusePort, servedBySecond, first.port()).build().start()) {
            Set<String> answers = new HashSet<>();
            for (int i = 0; i < 64; i++) {
                try (Socket socket = connect(first)) {
                    answers.add(new String(roundTrip(socket, MESSAGE), StandardCharsets.US_ASCII));
                }
            }
            assertThat(answers).containsExactly("hello\n");
            assertThat(servedByFirst.get() + servedBySecond.get()).isEqualTo(64);
            assertThat(servedByFirst).as("connections the first server served").hasPositiveValue();
            assertThat(servedBySecond).as("connections the second server served").hasPositiveValue();
        }
    }

    /** A server with reusePort fails on a port whose holder, of one loop, did not ask for it. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void reusePortOnOneSideOnlyFailsTheBind(Transport transport) throws Exception {
        assumeAvailable(transport);
        try (TcpServer holder = echoServer(transport).build().start()) {
            TcpServer intruder = echoServer(transport).port(holder.port())
                    .options(SocketOptions.builder().reusePort(true).build()).build();

            assertThatThrownBy(intruder::start).isInstanceOf(BindException.class);
        }
    }

    private static TcpServer.Builder counting(Transport transport, SocketOptions options, AtomicInteger served,
            int port) {
        return echoServer(transport).options(options).port(port).handler(() -> new Handler() {
            @Override
            public void onOpen(Connection connection) {
                served.incrementAndGet();
            }

            @Override
            public void onData(Connection connection, ByteBuffer data) {
                connection.write(data);
            }
        });
    }
}
