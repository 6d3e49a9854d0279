package io.jepoll.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.jepoll.LoggedWarnings;
import io.jepoll.echo.EchoClients;
import io.jepoll.loop.Transport;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The server's memory budget, on every transport: peers that send bodies and never finish them
 * fill it (chunked, so that no declared length refuses them at once), and the biggest holders are
 * closed (with a warning) while a client on the same loop is answered throughout; a request whose
 * declared body would not fit gets 503.
 */
@Timeout(60)
class MemoryBudgetTest {

    private static final int BUDGET = 4 * 1024 * 1024;
    private static final int BODY = 1024 * 1024;
    private static final int HOARDERS = 12;

    @ParameterizedTest
    @EnumSource(Transport.class)
    void peersThatHoardBodiesAreClosedBiggestFirstWhileOthersAreServed(Transport transport) throws Exception {
        byte[] chunk = ("10000\r\n" + "x".repeat(0x10000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        List<Socket> hoarders = new ArrayList<>();
        try (LoggedWarnings warnings = LoggedWarnings.capture();
                HttpServer server = RawHttp.builder(transport).maxBuffered(BUDGET).build().start();
                RawHttp client = RawHttp.connect(server)) {
            for (int i = 0; i < HOARDERS; i++) {
                Socket hoarder = new Socket("127.0.0.1", server.port());
                hoarders.add(hoarder);
                OutputStream out = hoarder.getOutputStream();
                // A chunked body (no length to refuse it by) of 1 MiB that never ends: it stays buffered.
                out.write("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                for (int k = 0; k < BODY / 0x10000; k++) {
                    out.write(chunk);
                }
                out.flush();
                client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
                assertThat(client.read().text()).as("GET / while %d peers hoard", i + 1).isEqualTo("hello\n");
            }
            EchoClients.awaitTrue("the server to close some of the peers that hoard",
                    () -> server.stats().connectionsClosed() > 0);
            assertThat(warnings.lines()).anySatisfy(line -> assertThat(line)
                    .contains("the memory budget of " + BUDGET + " bytes is exceeded"));
            client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(client.read().text()).as("the client that reads is still served").isEqualTo("hello\n");
            assertThat(server.stats().connectionsClosed()).as("peers closed, of %d", HOARDERS)
                    .isLessThan(HOARDERS);
        } finally {
            for (Socket hoarder : hoarders) {
                hoarder.close();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aBodyThatWouldNotFitIs503(Transport transport) throws Exception {
        try (HttpServer server = RawHttp.builder(transport).maxBuffered(BUDGET).build().start();
                RawHttp client = RawHttp.connect(server)) {
            client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: " + (BUDGET + 1) + "\r\n\r\n");
            RawHttp.Response refused = client.read();
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.header("Connection")).isEqualTo("close");
        }
    }
}
