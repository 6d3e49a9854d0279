package io.jepoll.tls;

import static io.jepoll.echo.EchoClients.assumeAvailable;
import static org.assertj.core.api.Assertions.assertThat;

import io.jepoll.TestTls;
import io.jepoll.echo.EchoClients;
import io.jepoll.echo.EchoHandler;
import io.jepoll.echo.SeededBytes;
import io.jepoll.loop.Call;
import io.jepoll.loop.Transport;
import io.jepoll.server.TcpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Records split anywhere: a relay passes the client's bytes to the server a few at a time, a
 * pause after each, so the server reads handshake and data records in pieces of 1 to 13 bytes,
 * and decrypts them all the same, on every transport.
 */
@Timeout(60)
class TlsSplitRecordsTest {

    @ParameterizedTest
    @EnumSource(Transport.class)
    void recordsArrivingAFewBytesAtATimeAreDecryptedExactly(Transport transport) throws Exception {
        assumeAvailable(transport);
        byte[] payload = SeededBytes.array(13, 6000);
        try (TcpServer server = TcpServer.builder().transport(transport).tls(TestTls.server())
                .handler(EchoHandler::new).build().start();
                ServerSocket relay = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> relaying = EchoClients.inBackground("trickling-relay", () -> {
                try (Socket client = relay.accept(); Socket upstream = new Socket("127.0.0.1", server.port())) {
                    upstream.setTcpNoDelay(true);
                    CompletableFuture<Void> back = EchoClients.inBackground("relay-back", () -> copyBack(upstream, client));
                    trickle(client.getInputStream(), upstream.getOutputStream(), payload.length);
                    upstream.shutdownOutput();
                    EchoClients.await(back);
                }
            });
            InetSocketAddress relayAddress = new InetSocketAddress("127.0.0.1", relay.getLocalPort());
            Socket plain = new Socket();
            plain.setSoTimeout((int) EchoClients.WAIT.toMillis());
            plain.connect(relayAddress);
            try (SSLSocket socket = TestTls.over(plain, relayAddress)) {
                assertThat(EchoClients.echo(socket, payload, false)).isEqualTo(payload);
            }
            EchoClients.await(relaying);
            assertThat(server.stats().calls(Call.READ)).as("reads on the server, so records did arrive in pieces")
                    .isGreaterThan(payload.length / 13 / 2);
        }
    }

    /** Copies until the client closes, in pieces of 1 to 13 bytes, pausing 20 µs after each. */
    private static void trickle(InputStream from, OutputStream to, int payloadBytes) throws IOException {
        Random sizes = new Random(payloadBytes);
        byte[] buffer = new byte[13];
        for (int n = from.read(buffer, 0, 1 + sizes.nextInt(13)); n >= 0; n = from.read(buffer, 0, 1 + sizes.nextInt(13))) {
            to.write(buffer, 0, n);
            to.flush();
            LockSupport.parkNanos(20_000);
        }
    }

    /** The server's bytes back to the client as they come, until either end is gone. */
    private static void copyBack(Socket upstream, Socket client) {
        try {
            upstream.getInputStream().transferTo(client.getOutputStream());
        } catch (IOException clientGone) {
            // The client closed after its echo: what the server still sends (close_notify) has nowhere to go.
        }
    }
}
