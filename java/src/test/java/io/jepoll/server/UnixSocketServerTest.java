package io.jepoll.server;

import static io.jepoll.echo.EchoClients.assumeAvailable;
import static io.jepoll.echo.EchoClients.echoServer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.jepoll.echo.EchoClient;
import io.jepoll.echo.EchoClients;
import io.jepoll.echo.SeededBytes;
import io.jepoll.http.HttpServer;
import io.jepoll.loop.EventLoop;
import io.jepoll.loop.Transport;
import io.jepoll.net.Connection;
import io.jepoll.net.Handler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.BindException;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Servers and clients on a Unix domain socket file, on every transport: bytes and HTTP over it,
 * what is reported as addresses, and what becomes of files at the path before and after.
 */
@Timeout(60)
class UnixSocketServerTest {

    @TempDir
    Path dir;

    static Stream<Arguments> transportsAndLoopCounts() {
        return Stream.of(Transport.values()).flatMap(transport -> Stream.of(
                Arguments.of(transport, 1), Arguments.of(transport, 3)));
    }

    @ParameterizedTest(name = "{0}, {1} loop(s)")
    @MethodSource("transportsAndLoopCounts")
    void echoesEveryByteOnEveryConnectionSpreadOverTheLoops(Transport transport, int loops) throws Exception {
        Path path = dir.resolve("echo.sock");
        try (TcpServer server = echoServer(transport).unixSocket(path).loops(loops).build().start()) {
            int connections = 3 * loops;
            List<SocketChannel> clients = new ArrayList<>();
            List<CompletableFuture<Void>> writes = new ArrayList<>();
            try {
                for (int i = 0; i < connections; i++) {
                    clients.add(SocketChannel.open(UnixDomainSocketAddress.of(path)));
                }
                for (int i = 0; i < connections; i++) {
                    SocketChannel client = clients.get(i);
                    byte[] payload = SeededBytes.array(500 + i, 300_000);
                    // More than the socket buffers hold: written by another thread while this one reads.
                    writes.add(EchoClients.inBackground("writer-" + i, () -> client.write(ByteBuffer.wrap(payload))));
                }
                for (int i = 0; i < connections; i++) {
                    assertThat(readExactly(clients.get(i), 300_000)).as("echo on connection %d", i)
                            .isEqualTo(SeededBytes.array(500 + i, 300_000));
                    EchoClients.await(writes.get(i));
                }
            } finally {
                for (SocketChannel client : clients) {
                    client.close();
                }
            }
            // The one listener hands connections to every loop in turn.
            for (EventLoop loop : server.loops().loops()) {
                assertThat(EchoClients.awaitValue("connections counted by " + loop, () -> loop.stats().connectionsOpened(),
                        opened -> opened >= 3)).as("connections served by %s", loop).isEqualTo(3);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void connectionsReportTheSocketFileAndAnUnnamedPeer(Transport transport) throws Exception {
        Path path = dir.resolve("a.sock");
        CompletableFuture<List<SocketAddress>> addresses = new CompletableFuture<>();
        Handler reporting = new Handler() {
            @Override
            public void onOpen(Connection connection) {
                addresses.complete(List.of(connection.localAddress(), connection.remoteAddress()));
            }

            @Override
            public void onData(Connection connection, ByteBuffer in) {
                in.position(in.limit());
            }
        };
        // With permissions the socket is bound at a private path first, which the kernel keeps as its name.
        try (TcpServer server = echoServer(transport).unixSocket(path).unixSocketPermissions("rw-------")
                .handler(() -> reporting).build().start();
                SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            assertThat(server.boundAddress()).isEqualTo(UnixDomainSocketAddress.of(path));
            assertThat(server.localAddress()).as("a TCP address").isNull();
            assertThatThrownBy(server::port).isInstanceOf(IllegalStateException.class).hasMessageContaining(path.toString());
            assertThat(addresses.get(15, TimeUnit.SECONDS))
                    .containsExactly(UnixDomainSocketAddress.of(path), UnixDomainSocketAddress.of(""));
            assertThat(client.getRemoteAddress()).isInstanceOf(UnixDomainSocketAddress.class);
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void theFileHasThePermissionsAskedForAndGoesWhenTheServerCloses(Transport transport) throws Exception {
        Path path = dir.resolve("p.sock");
        TcpServer server = echoServer(transport).unixSocket(path).unixSocketPermissions("rw-rw----").build().start();
        try {
            assertThat(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS))
                    .isEqualTo(PosixFilePermissions.fromString("rw-rw----"));
            assertThat((int) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 0170000)
                    .as("a socket").isEqualTo(0140000);
            assertThat(roundTrip(path, "still served")).isEqualTo("still served");
            try (Stream<Path> entries = Files.list(dir)) {
                assertThat(entries).as("what the bind left beside the socket").containsExactly(path);
            }
        } finally {
            server.close();
        }
        assertThat(Files.exists(path, LinkOption.NOFOLLOW_LINKS)).as("the socket file after close").isFalse();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aStaleSocketFileIsReplaced(Transport transport) throws Exception {
        Path path = dir.resolve("stale.sock");
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(path));
        }
        assertThat(Files.exists(path)).as("the file a closed listener leaves").isTrue();
        try (TcpServer server = echoServer(transport).unixSocket(path).build().start()) {
            assertThat(roundTrip(path, "a new server")).isEqualTo("a new server");
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aLiveSocketIsRefusedAndKeepsServing(Transport transport) throws Exception {
        Path path = dir.resolve("live.sock");
        try (ServerSocketChannel live = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            live.bind(UnixDomainSocketAddress.of(path));

            Throwable refused = catchThrowable(() -> echoServer(transport).unixSocket(path).build().start());

            assertThat(refused).isInstanceOf(BindException.class).hasMessageContaining(path.toString())
                    .hasMessageContaining("in use");
            try (SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(path));
                    SocketChannel accepted = live.accept()) {
                assertThat(accepted).as("the live server still accepts on its file").isNotNull();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aLiveSocketWithAFullBacklogIsRefusedToo(Transport transport) throws Exception {
        Path path = dir.resolve("busy.sock");
        List<SocketChannel> waiting = new ArrayList<>();
        try (ServerSocketChannel busy = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            busy.bind(UnixDomainSocketAddress.of(path), 1);
            boolean full = false;
            while (!full && waiting.size() < 64) {
                SocketChannel client = SocketChannel.open(StandardProtocolFamily.UNIX);
                client.configureBlocking(false);
                try {
                    client.connect(UnixDomainSocketAddress.of(path));
                    waiting.add(client);
                } catch (IOException backlogFull) {
                    client.close();
                    full = true;
                }
            }
            assertThat(full).as("the backlog filled up").isTrue();

            Throwable refused = catchThrowable(() -> echoServer(transport).unixSocket(path).build().start());

            assertThat(refused).isInstanceOf(BindException.class).hasMessageContaining(path.toString())
                    .hasMessageContaining("in use");
            assertThat(Files.exists(path)).isTrue();
        } finally {
            for (SocketChannel client : waiting) {
                client.close();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aFileThatIsNotASocketIsNeverDeleted(Transport transport) throws Exception {
        Path path = dir.resolve("data.sock");
        Files.writeString(path, "precious");

        Throwable refused = catchThrowable(() -> echoServer(transport).unixSocket(path).build().start());

        assertThat(refused).isInstanceOf(BindException.class).hasMessageContaining(path.toString())
                .hasMessageContaining("not a socket");
        assertThat(Files.readString(path)).isEqualTo("precious");
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aPathTooLongForASocketAddressIsRefusedNamingIt(Transport transport) {
        Path path = dir.resolve("x".repeat(110) + ".sock");

        Throwable refused = catchThrowable(() -> echoServer(transport).unixSocket(path).build().start());

        assertThat(refused).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Unix socket path too long").hasMessageContaining("at most 107")
                .hasMessageContaining(path.toString());
        assertThat(Files.exists(path)).isFalse();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void httpAnswersTheJdksOwnUnixSocketChannel(Transport transport) throws Exception {
        assumeAvailable(transport);
        Path path = dir.resolve("h.sock");
        HttpServer server = HttpServer.builder().transport(transport).unixSocket(path).builtInRoutes().build().start();
        try (SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            client.write(StandardCharsets.US_ASCII.encode(
                    "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n"
                            + "POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\nConnection: close\r\n\r\nabcde"));
            String answers = new String(readToEnd(client), StandardCharsets.ISO_8859_1);
            assertThat(answers).startsWith("HTTP/1.1 200 OK\r\n").contains("\r\n\r\nhello\n")
                    .endsWith("\r\n\r\nabcde");
        } finally {
            server.close();
        }
        assertThat(Files.exists(path)).isFalse();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aClientConnectsToASocketFileOnEveryTransport(Transport transport) throws Exception {
        assumeAvailable(transport);
        Path path = dir.resolve("c.sock");
        TcpClient client = TcpClient.builder().transport(transport).build().start();
        try (TcpServer server = echoServer(Transport.NIO).unixSocket(path).build().start()) {
            byte[] message = SeededBytes.array(77, 200_000);
            assertThat(EchoClient.send(client, UnixDomainSocketAddress.of(path), message).get(15, TimeUnit.SECONDS))
                    .isEqualTo(message);

            CompletableFuture<Connection> opened = new CompletableFuture<>();
            Connection connection = client.connect(UnixDomainSocketAddress.of(path), new Handler() {
                @Override
                public void onOpen(Connection connection) {
                    opened.complete(connection);
                }

                @Override
                public void onData(Connection connection, ByteBuffer in) {
                    in.position(in.limit());
                }
            }).get(15, TimeUnit.SECONDS);
            assertThat(opened.get(15, TimeUnit.SECONDS)).isSameAs(connection);
            assertThat(connection.remoteAddress()).isEqualTo(UnixDomainSocketAddress.of(path));
            assertThat(connection.localAddress()).as("a client binds no name").isEqualTo(UnixDomainSocketAddress.of(""));
            connection.execute(connection::close);

            Throwable missing = catchThrowable(() -> client.connect(UnixDomainSocketAddress.of(dir.resolve("none.sock")),
                    new Handler() {
                        @Override
                        public void onData(Connection connection, ByteBuffer in) {
                        }
                    }).get(15, TimeUnit.SECONDS));
            assertThat(missing).isInstanceOf(ExecutionException.class);
            assertThat(missing.getCause()).isInstanceOf(IOException.class).hasMessageContaining("none.sock");
        } finally {
            client.shutdown(java.time.Duration.ofSeconds(2));
        }
    }

    static String roundTrip(Path path, String text) throws IOException {
        try (SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            client.write(ByteBuffer.wrap(bytes));
            return new String(readExactly(client, bytes.length), StandardCharsets.UTF_8);
        }
    }

    static byte[] readExactly(SocketChannel channel, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                throw new IOException("end of stream after " + buffer.position() + " of " + length + " bytes");
            }
        }
        return buffer.array();
    }

    static byte[] readToEnd(SocketChannel channel) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocate(8192);
        while (channel.read(buffer.clear()) >= 0) {
            all.write(buffer.array(), 0, buffer.position());
        }
        return all.toByteArray();
    }
}
