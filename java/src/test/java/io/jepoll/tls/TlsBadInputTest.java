package io.jepoll.tls;

import static io.jepoll.echo.EchoClients.assumeAvailable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jepoll.LoggedWarnings;
import io.jepoll.TestTls;
import io.jepoll.echo.EchoClients;
import io.jepoll.echo.EchoHandler;
import io.jepoll.echo.SeededBytes;
import io.jepoll.http.HttpServer;
import io.jepoll.loop.Transport;
import io.jepoll.server.TcpServer;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A peer's bad TLS costs that peer only, on every transport: its connection is closed (with the
 * alert TLS defines, where one is due), nothing is logged above DEBUG, and a good client is
 * served right after. Clients that must really offer what the JDK will not (TLS 1.1, a foreign
 * ALPN protocol, a renegotiation) are openssl's s_client.
 */
@Timeout(60)
class TlsBadInputTest {

    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofMillis(500);
    private static final Path OPENSSL = Path.of("/usr/bin/openssl");

    private static TcpServer echoServer(Transport transport) throws IOException {
        assumeAvailable(transport);
        TlsContext tls = TlsContext.server().certificate(TestTls.certificate(), TestTls.privateKey())
                .handshakeTimeout(HANDSHAKE_TIMEOUT).build();
        return TcpServer.builder().transport(transport).tls(tls).handler(EchoHandler::new).build().start();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void garbageInAHandshakeRecordIsClosed(Transport transport) throws Exception {
        byte[] garbage = SeededBytes.array(5, 600);
        garbage[0] = 22;
        garbage[1] = 3;
        garbage[2] = 1;
        garbage[3] = 2;
        garbage[4] = 0;
        assertClosedAndOthersServed(transport, garbage, false);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aClientHelloCutShortThenEndedIsClosed(Transport transport) throws Exception {
        assertClosedAndOthersServed(transport, new byte[] {22, 3, 1, 0, (byte) 200, 1, 0, 0, (byte) 196, 3, 3, 9}, true);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void bytesThatAreNotTlsAreClosedAtOnce(Transport transport) throws Exception {
        assertClosedAndOthersServed(transport, "SSH-2.0-OpenSSH_9.2\r\n".getBytes(StandardCharsets.US_ASCII), false);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aStalledHandshakeIsClosedAfterTheHandshakeTimeout(Transport transport) throws Exception {
        try (LoggedWarnings warnings = LoggedWarnings.capture(); TcpServer server = echoServer(transport);
                Socket stalled = new Socket("127.0.0.1", server.port())) {
            stalled.setSoTimeout((int) EchoClients.WAIT.toMillis());
            stalled.getOutputStream().write(new byte[] {22, 3, 1, 0, (byte) 200, 1});
            long started = System.nanoTime();

            assertEndsAfterAnAlertAtMost(stalled.getInputStream());

            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(HANDSHAKE_TIMEOUT.dividedBy(2));
            assertGoodClientServed(server);
            assertThat(warnings.lines()).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aClientOfferingOnlyTls11GetsAProtocolVersionAlert(Transport transport, @TempDir Path dir) throws Exception {
        try (LoggedWarnings warnings = LoggedWarnings.capture(); TcpServer server = echoServer(transport)) {
            String output = sClient(dir, server.port(), "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0");

            assertThat(output).as("s_client's output").contains("alert protocol version");
            assertGoodClientServed(server);
            assertThat(warnings.lines()).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void tls12AndTls13AreAcceptedFromOpenssl(Transport transport, @TempDir Path dir) throws Exception {
        try (TcpServer server = echoServer(transport)) {
            for (String protocol : List.of("-tls1_2", "-tls1_3")) {
                String output = sClient(dir, server.port(), protocol, "-verify_return_error", "-CAfile",
                        TestTls.certificate().toString(), "-servername", "localhost");

                assertThat(output).as("s_client %s", protocol).contains("Verify return code: 0 (ok)")
                        .contains("New, TLSv1." + protocol.charAt(protocol.length() - 1) + ", Cipher is ");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aClientWithNoAlpnProtocolInCommonIsRefused(Transport transport, @TempDir Path dir) throws Exception {
        assumeAvailable(transport);
        try (LoggedWarnings warnings = LoggedWarnings.capture();
                HttpServer server = HttpServer.builder().transport(transport).builtInRoutes().tls(TestTls.server())
                        .build().start()) {
            String refused = sClient(dir, server.port(), "-alpn", "h2");
            String accepted = sClient(dir, server.port(), "-alpn", "h2,http/1.1");

            assertThat(refused).contains("alert no application protocol");
            assertThat(accepted).contains("ALPN protocol: http/1.1");
            assertThat(warnings.lines()).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aTls12RenegotiationIsRefused(Transport transport) throws Exception {
        try (LoggedWarnings warnings = LoggedWarnings.capture(); TcpServer server = echoServer(transport);
                SSLSocket socket = TlsEchoTest.connect(server, "TLSv1.2")) {
            assertThat(EchoClients.echo(socket, new byte[] {1, 2}, false)).containsExactly(1, 2);

            Throwable renegotiation = catchThrowable(() -> {
                socket.startHandshake();
                socket.getOutputStream().write(3);
                socket.getOutputStream().flush();
                assertThat(socket.getInputStream().read()).as("a byte after the renegotiation").isEqualTo(-1);
            });

            assertThat(renegotiation).as("what the client saw").satisfiesAnyOf(
                    failure -> assertThat(failure).isNull(),
                    failure -> assertThat(failure).isInstanceOfAny(SSLException.class, SocketException.class));
            assertGoodClientServed(server);
            assertThat(warnings.lines()).isEmpty();
        }
    }

    private static void assertClosedAndOthersServed(Transport transport, byte[] bad, boolean halfClose) throws Exception {
        try (LoggedWarnings warnings = LoggedWarnings.capture(); TcpServer server = echoServer(transport);
                Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout((int) EchoClients.WAIT.toMillis());
            socket.getOutputStream().write(bad);
            if (halfClose) {
                socket.shutdownOutput();
            }

            assertEndsAfterAnAlertAtMost(socket.getInputStream());
            assertGoodClientServed(server);
            EchoClients.awaitTrue("every connection closed on the server", () ->
                    server.stats().connectionsClosed() == server.stats().connectionsOpened());
            assertThat(warnings.lines()).isEmpty();
        }
    }

    /**
     * Reads to the end: an alert or nothing, then the end of the stream or a reset; a server that
     * keeps the connection open past the read timeout fails the test.
     */
    private static void assertEndsAfterAnAlertAtMost(InputStream in) throws IOException {
        byte[] buffer = new byte[1024];
        int total = 0;
        try {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                total += n;
                assertThat(total).as("bytes from the server: an alert at most").isLessThan(64);
            }
        } catch (SocketTimeoutException open) {
            throw new AssertionError("the server kept the connection open for " + EchoClients.WAIT.toSeconds()
                    + " s after " + total + " bytes", open);
        } catch (SocketException reset) {
            // A close with our bytes unread is a reset.
        }
    }

    private static void assertGoodClientServed(TcpServer server) throws Exception {
        try (SSLSocket good = TlsEchoTest.connect(server, "TLSv1.3")) {
            assertThat(EchoClients.echo(good, new byte[] {4, 5, 6}, false)).containsExactly(4, 5, 6);
        }
    }

    /** openssl s_client against the port, its input empty; returns all it printed. */
    private static String sClient(Path dir, int port, String... options) throws Exception {
        assumeTrue(Files.isExecutable(OPENSSL), "openssl is not installed");
        List<String> command = new ArrayList<>(List.of(OPENSSL.toString(), "s_client", "-connect", "127.0.0.1:" + port));
        command.addAll(List.of(options));
        Path output = dir.resolve("s_client.out");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("openssl s_client did not finish within 20 s: " + command);
        }
        return Files.readString(output, StandardCharsets.UTF_8);
    }
}
