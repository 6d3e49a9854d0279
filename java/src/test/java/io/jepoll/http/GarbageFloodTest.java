package io.jepoll.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.jepoll.echo.SeededBytes;
import io.jepoll.LoggedWarnings;
import io.jepoll.loop.Transport;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Many connections at once send garbage: random bytes, heads cut short, heads far over the
 * limit. Each gets an error status and a close, or just a close, never a success; a client on
 * another connection is answered all the while, and every connection the server opened, it
 * closes.
 */
@Timeout(90)
class GarbageFloodTest {

    private static final int BAD_CONNECTIONS = 150;
    private static final String GET = "GET / HTTP/1.1\r\nHost: good\r\n\r\n";

    @ParameterizedTest(name = "{0}, TLS {1}")
    @MethodSource("io.jepoll.TestTls#transportsPlainAndTls")
    void garbageGetsAnErrorOrACloseAndOtherClientsNeverNotice(Transport transport, boolean tls) throws Exception {
        ExecutorService attackers = Executors.newFixedThreadPool(16);
        try (LoggedWarnings warnings = LoggedWarnings.capture();
                HttpServer server = RawHttp.start(transport, HttpLimits.defaults(), tls)) {
            List<CompletableFuture<Void>> attacks = new ArrayList<>();
            for (int i = 0; i < BAD_CONNECTIONS; i++) {
                byte[] garbage = garbage(i);
                attacks.add(CompletableFuture.runAsync(() -> attack(server, garbage, tls), attackers));
            }
            try (RawHttp good = RawHttp.connect(server, tls)) {
                for (int i = 0; i < 50; i++) {
                    RawHttp.Response answer = good.send(GET).read();
                    assertThat(answer.status()).isEqualTo(200);
                    assertThat(answer.bodyText()).isEqualTo("hello\n");
                }
            }
            CompletableFuture.allOf(attacks.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

            try (RawHttp later = RawHttp.connect(server, tls)) {
                assertThat(later.send(GET).read().status()).isEqualTo(200);
            }
            RawHttp.awaitTrue("every connection the server opened is closed", () ->
                    server.stats().connectionsOpened() == server.stats().connectionsClosed());
            assertThat(server.stats().connectionsOpened()).isEqualTo(BAD_CONNECTIONS + 2);
            assertThat(warnings.lines()).as("warnings logged by the loops").isEmpty();
        } finally {
            attackers.shutdownNow();
        }
    }

    /** Random bytes, a head cut short, or a header line eight times the head limit, in turn. */
    private static byte[] garbage(int i) {
        return switch (i % 3) {
            case 0 -> SeededBytes.array(1000 + i, 2048);
            case 1 -> "GET / HTTP/1.1\r\nHost: cut\r\nX-Cut: abc".getBytes(StandardCharsets.US_ASCII);
            default -> ("GET / HTTP/1.1\r\nHost: big\r\nX-Big: " + "a".repeat(64 * 1024) + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
        };
    }

    /**
     * Sends, half-closes, and reads to the end: an error status or nothing, then a close. Over
     * TLS the garbage is encrypted, for the HTTP layer to refuse.
     */
    private static void attack(HttpServer server, byte[] garbage, boolean tls) {
        try (RawHttp connection = RawHttp.connect(server, tls)) {
            Socket socket = connection.socket();
            try {
                socket.getOutputStream().write(garbage);
                socket.shutdownOutput();
            } catch (SocketException closedWhileWriting) {
                // The server answered and closed before taking it all: allowed.
            }
            String answer = RawHttp.readToTheEnd(socket.getInputStream());
            if (!answer.isEmpty()) {
                assertThat(answer).as("the answer to garbage").matches("(?s)HTTP/1\\.1 [45]\\d\\d .*");
                assertThat(answer).contains("Connection: close");
            }
        } catch (IOException e) {
            throw new IllegalStateException("a garbage connection failed oddly", e);
        }
    }
}
