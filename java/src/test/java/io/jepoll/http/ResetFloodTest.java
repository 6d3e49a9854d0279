package io.jepoll.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.jepoll.LoggedWarnings;
import io.jepoll.TestTls;
import io.jepoll.loop.Transport;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
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
 * A thousand peers reset their connections (SO_LINGER 0) at every stage: mid-head, mid-body,
 * and mid-response, with a large answer still being written to them; over TLS also mid-record
 * and mid-handshake. The server keeps serving, and closes every connection it opened.
 */
@Timeout(120)
class ResetFloodTest {

    private static final int RESETS = 1000;
    private static final byte[] LARGE_BODY = "x".repeat(256 * 1024).getBytes(StandardCharsets.US_ASCII);

    @ParameterizedTest(name = "{0}, TLS {1}")
    @MethodSource("io.jepoll.TestTls#transportsPlainAndTls")
    void resetsAtEveryStageLeaveTheServerServingAndNothingOpen(Transport transport, boolean tls) throws Exception {
        ExecutorService peers = Executors.newFixedThreadPool(16);
        try (LoggedWarnings warnings = LoggedWarnings.capture();
                HttpServer server = RawHttp.start(transport, HttpLimits.defaults(), tls)) {
            List<CompletableFuture<Void>> resets = new ArrayList<>();
            int stages = tls ? 5 : 3;
            for (int i = 0; i < RESETS; i++) {
                int stage = i % stages;
                resets.add(CompletableFuture.runAsync(() -> resetAt(server, stage, tls), peers));
            }
            CompletableFuture.allOf(resets.toArray(CompletableFuture[]::new)).get(90, TimeUnit.SECONDS);

            try (RawHttp later = RawHttp.connect(server, tls)) {
                RawHttp.Response answer = later.send("GET / HTTP/1.1\r\nHost: after\r\n\r\n").read();
                assertThat(answer.status()).isEqualTo(200);
                assertThat(answer.bodyText()).isEqualTo("hello\n");
            }
            RawHttp.awaitTrue("every connection the server opened is closed", () ->
                    server.stats().connectionsOpened() == server.stats().connectionsClosed());
            assertThat(server.stats().connectionsOpened()).isEqualTo(RESETS + 1);
            assertThat(warnings.lines()).as("warnings logged by the loops").isEmpty();
        } finally {
            peers.shutdownNow();
        }
    }

    /**
     * 0: mid-head; 1: mid-body; 2: mid-response (a 256 KiB echo the peer never reads); over TLS,
     * 3: mid-record (a record header promising more than follows); 4: mid-handshake (half a
     * ClientHello's worth of bytes).
     */
    private static void resetAt(HttpServer server, int stage, boolean tls) {
        try (Socket socket = new Socket(server.localAddress().getAddress(), server.port())) {
            socket.setSoLinger(true, 0);
            if (stage == 4) {
                socket.getOutputStream().write(new byte[] {22, 3, 1, 2, 0, 1, 0, 1, (byte) 0xfc, 3, 3});
                return;
            }
            Socket stream = tls ? TestTls.over(socket, server.localAddress()) : socket;
            OutputStream out = stream.getOutputStream();
            switch (stage) {
                case 0 -> out.write(ascii("GET / HTTP/1.1\r\nHost: reset\r\nX-Half: "));
                case 1 -> out.write(ascii("POST /echo HTTP/1.1\r\nHost: reset\r\nContent-Length: 1000\r\n\r\nhalf"));
                default -> {
                    out.write(ascii("POST /echo HTTP/1.1\r\nHost: reset\r\nContent-Length: " + LARGE_BODY.length
                            + "\r\n\r\n"));
                    out.write(LARGE_BODY);
                    // Wait until the answer has started, so that the reset lands mid-response.
                    assertThat(stream.getInputStream().read()).isEqualTo('H');
                }
                case 3 -> socket.getOutputStream().write(new byte[] {23, 3, 3, 4, 0, 1, 2, 3, 4, 5, 6, 7});
            }
        } catch (IOException e) {
            throw new IllegalStateException("a resetting peer failed before its reset", e);
        }
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
