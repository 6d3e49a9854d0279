package io.jepoll.tls;

import static io.jepoll.echo.EchoClients.assumeAvailable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.jepoll.LoggedWarnings;
import io.jepoll.TestTls;
import io.jepoll.echo.EchoClients;
import io.jepoll.echo.EchoHandler;
import io.jepoll.echo.SeededBytes;
import io.jepoll.loop.Transport;
import io.jepoll.net.Activity;
import io.jepoll.net.Connection;
import io.jepoll.net.Handler;
import io.jepoll.server.TcpClient;
import io.jepoll.server.TcpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The echo protocol, unchanged, over TLS on every transport: the JDK's own TLS client and
 * jepoll's get every byte back, in TLS 1.3 and 1.2, and a handler sees plain bytes only.
 */
@Timeout(60)
class TlsEchoTest {

    static Stream<Arguments> transportsAndProtocols() {
        return Stream.of(Transport.values()).flatMap(transport -> Stream.of(
                Arguments.of(transport, "TLSv1.3"), Arguments.of(transport, "TLSv1.2")));
    }

    private static TcpServer echoServer(Transport transport) throws Exception {
        assumeAvailable(transport);
        return TcpServer.builder().transport(transport).tls(TestTls.server()).handler(EchoHandler::new).build().start();
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("transportsAndProtocols")
    void theJdkClientGetsAMegabyteBackExactly(Transport transport, String protocol) throws Exception {
        byte[] payload = SeededBytes.array(7, 1 << 20);
        try (TcpServer server = echoServer(transport); SSLSocket socket = connect(server, protocol)) {
            assertThat(EchoClients.echo(socket, payload, false)).isEqualTo(payload);
            assertThat(socket.getSession().getProtocol()).isEqualTo(protocol);
        }
    }

    /** TLS 1.2 shows a resumed session by its id; TLS 1.3 resumes through tickets, as the JDK does both. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void aSecondConnectionResumesTheSession(Transport transport) throws Exception {
        try (TcpServer server = echoServer(transport)) {
            byte[] first;
            try (SSLSocket socket = connect(server, "TLSv1.2")) {
                first = socket.getSession().getId();
                assertThat(EchoClients.echo(socket, new byte[] {1}, false)).containsExactly(1);
            }
            try (SSLSocket socket = connect(server, "TLSv1.2")) {
                assertThat(socket.getSession().getId()).as("the second connection's session id").isEqualTo(first);
                assertThat(EchoClients.echo(socket, new byte[] {2}, false)).containsExactly(2);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aHalfCloseFlushesTheEchoThenCloses(Transport transport) throws Exception {
        byte[] payload = SeededBytes.array(8, 300_000);
        try (TcpServer server = echoServer(transport); SSLSocket socket = connect(server, "TLSv1.3")) {
            assertThat(EchoClients.echo(socket, payload, true)).isEqualTo(payload);
            assertThat(socket.getInputStream().read()).as("the end of the stream after the echo").isEqualTo(-1);
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void jepollsClientTalksToJepollsServer(Transport transport) throws Exception {
        byte[] payload = SeededBytes.array(9, 512 * 1024);
        TcpClient client = TcpClient.builder().transport(transport).tls(TestTls.client()).build().start();
        try (TcpServer server = echoServer(transport)) {
            Collector collector = new Collector(payload.length);
            Connection connection = get(client.connect(server.localAddress(), collector));
            connection.execute(() -> connection.write(ByteBuffer.wrap(payload)));

            assertThat(get(collector.received)).isEqualTo(payload);
            assertThat(collector.session).isEqualTo("TLSv1.3");
            assertThat(get(collector.closed)).as("onClose's cause").isNull();
        } finally {
            client.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void theClientSendsTheServerNameItWasGiven(Transport transport) throws Exception {
        assumeAvailable(transport);
        TlsContext named = TlsContext.client().trust(TestTls.certificate()).serverName("localhost").build();
        TcpClient client = TcpClient.builder().transport(transport).tls(named).build().start();
        try (TcpServer server = TcpServer.builder().transport(transport).tls(TestTls.server())
                .handler(ServerNameTeller::new).build().start()) {
            Collector collector = new Collector("localhost".length());
            get(client.connect(server.localAddress(), collector));

            assertThat(new String(get(collector.received), StandardCharsets.US_ASCII)).isEqualTo("localhost");
        } finally {
            client.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aClientRefusesACertificateItDoesNotTrustAndTheServerLogsNothing(Transport transport) throws Exception {
        assumeAvailable(transport);
        TcpClient trustingTheJdksAuthorities = TcpClient.builder().transport(transport)
                .tls(TlsContext.client().build()).build().start();
        try (LoggedWarnings warnings = LoggedWarnings.capture(); TcpServer server = echoServer(transport)) {
            Collector never = new Collector(1);
            Throwable failure = catchThrowable(() -> get(trustingTheJdksAuthorities.connect(server.localAddress(), never)));

            assertThat(failure).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(SSLHandshakeException.class);
            assertThat(never.opened).as("the handler heard of the connection").isFalse();
            try (SSLSocket good = connect(server, "TLSv1.3")) {
                assertThat(EchoClients.echo(good, new byte[] {1, 2, 3}, false)).containsExactly(1, 2, 3);
            }
            EchoClients.awaitTrue("the refused connection closed on the server", () ->
                    server.stats().connectionsClosed() >= 1);
            assertThat(warnings.lines()).isEmpty();
        } finally {
            trustingTheJdksAuthorities.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aClientChecksTheNameInTheCertificate(Transport transport) throws Exception {
        assumeAvailable(transport);
        TlsContext wrongName = TlsContext.client().trust(TestTls.certificate()).serverName("elsewhere.example").build();
        TcpClient client = TcpClient.builder().transport(transport).tls(wrongName).build().start();
        try (TcpServer server = echoServer(transport)) {
            Throwable failure = catchThrowable(() -> get(client.connect(server.localAddress(), new Collector(1))));

            assertThat(failure).hasCauseInstanceOf(SSLHandshakeException.class);
            assertThat(failure.getCause()).hasMessageContaining("elsewhere.example");
        } finally {
            client.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aClientTrustsAKeystoreWithItsPassword(Transport transport, @TempDir Path dir) throws Exception {
        assumeAvailable(transport);
        Path store = dir.resolve("trust.p12");
        KeyTools.keytool(dir, "-importcert", "-noprompt", "-alias", "server", "-file", TestTls.certificate().toString(),
                "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", "secret");
        TcpClient withPassword = TcpClient.builder().transport(transport)
                .tls(TlsContext.client().trust(store, "secret".toCharArray()).build()).build().start();
        TcpClient withoutPassword = TcpClient.builder().transport(transport)
                .tls(TlsContext.client().trust(store).build()).build();
        try (TcpServer server = echoServer(transport)) {
            Collector collector = new Collector(3);
            Connection connection = get(withPassword.connect(server.localAddress(), collector));
            connection.execute(() -> connection.write(ByteBuffer.wrap(new byte[] {7, 8, 9})));

            assertThat(get(collector.received)).containsExactly(7, 8, 9);
            assertThat(catchThrowable(withoutPassword::start)).isInstanceOf(IOException.class)
                    .hasMessageContaining(store.toString()).hasMessageContaining("password");
        } finally {
            withPassword.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aFullServerAbortsANewConnectionWithoutAHandshake(Transport transport) throws Exception {
        assumeAvailable(transport);
        try (TcpServer server = TcpServer.builder().transport(transport).tls(TestTls.server()).maxConnections(1)
                .handler(BusyEcho::new).build().start();
                SSLSocket busy = connect(server, "TLSv1.3")) {
            assertThat(EchoClients.echo(busy, new byte[] {1}, false)).containsExactly(1);
            long writtenBefore = server.stats().bytesWritten();

            Throwable refused = catchThrowable(() -> connect(server, "TLSv1.3").close());

            assertThat(refused).as("a handshake with a full server").isInstanceOf(IOException.class);
            // A handshake's first flight is some 700 bytes here; the counters may still be adding
            // the echo's last record (a few dozen) when first read.
            assertThat(server.stats().bytesWritten() - writtenBefore).as("bytes the server sent the refused peer")
                    .isLessThan(200);
            assertThat(EchoClients.echo(busy, new byte[] {2}, false)).containsExactly(2);
        }
    }

    static SSLSocket connect(TcpServer server, String protocol) throws Exception {
        Socket plain = new Socket();
        plain.setSoTimeout((int) EchoClients.WAIT.toMillis());
        plain.connect(server.localAddress());
        SSLSocket socket = (SSLSocket) TestTls.clientSslContext().getSocketFactory().createSocket(plain,
                "localhost", server.port(), true);
        socket.setEnabledProtocols(new String[] {protocol});
        socket.startHandshake();
        return socket;
    }

    static <T> T get(CompletableFuture<T> future) throws Exception {
        return future.get(EchoClients.WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Echoes, and says it is busy throughout (the echo says idle), so that a connection cap never evicts it. */
    private static final class BusyEcho implements Handler {
        private final EchoHandler echo = new EchoHandler();

        @Override
        public void onOpen(Connection connection) {
            connection.activity(Activity.BUSY);
        }

        @Override
        public void onData(Connection connection, ByteBuffer in) {
            echo.onData(connection, in);
            connection.activity(Activity.BUSY);
        }
    }

    /** Writes the server name the client asked for (SNI), then closes. */
    private static final class ServerNameTeller implements Handler {
        @Override
        public void onOpen(Connection connection) {
            List<?> names = ((ExtendedSSLSession) connection.tlsSession()).getRequestedServerNames();
            String name = names.isEmpty() ? "none" : ((SNIHostName) names.get(0)).getAsciiName();
            connection.write(ByteBuffer.wrap(name.getBytes(StandardCharsets.US_ASCII)));
            connection.close();
        }

        @Override
        public void onData(Connection connection, ByteBuffer in) {
            in.position(in.limit());
        }
    }

    /** Collects what arrives until {@code expected} bytes, then closes. */
    private static final class Collector implements Handler {
        private final int expected;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final CompletableFuture<byte[]> received = new CompletableFuture<>();
        final CompletableFuture<Throwable> closed = new CompletableFuture<>();
        volatile boolean opened;
        volatile String session;

        Collector(int expected) {
            this.expected = expected;
        }

        @Override
        public void onOpen(Connection connection) {
            opened = true;
            session = connection.tlsSession().getProtocol();
        }

        @Override
        public void onData(Connection connection, ByteBuffer in) {
            byte[] chunk = new byte[in.remaining()];
            in.get(chunk);
            bytes.write(chunk, 0, chunk.length);
            if (bytes.size() >= expected) {
                received.complete(bytes.toByteArray());
                connection.close();
            }
        }

        @Override
        public void onInputShutdown(Connection connection) {
            received.complete(bytes.toByteArray());
            connection.close();
        }

        @Override
        public void onClose(Connection connection, Throwable cause) {
            closed.complete(cause);
        }
    }
}
