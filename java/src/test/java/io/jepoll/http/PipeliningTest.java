package io.jepoll.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.jepoll.http.RawHttp.Response;
import io.jepoll.loop.Call;
import io.jepoll.loop.LoopStats;
import io.jepoll.loop.Transport;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Pipelining (RFC 9112 section 9.3.2): requests sent together are answered in order, and the
 * epoll transports gather the answers into far fewer writes than requests (DESIGN.md: pipelined
 * responses are gathered into one write/writev).
 */
@Timeout(30)
class PipeliningTest {

    private static final int REQUESTS = 64;
    private static final RawHttp.Servers SERVERS = new RawHttp.Servers(RawHttp::builder);

    @AfterAll
    static void closeServers() {
        SERVERS.close();
    }

    /** What request i is and what its answer must be. */
    private record Exchange(String request, String expectedBody, String expectedType) {
    }

    private static List<Exchange> exchanges() {
        List<Exchange> exchanges = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            switch (i % 3) {
                case 0 -> exchanges.add(new Exchange("GET / HTTP/1.1\r\nHost: x\r\n\r\n", "hello\n", "text/plain"));
                case 1 -> exchanges.add(new Exchange("GET /plaintext?i=" + i + " HTTP/1.1\r\nHost: x\r\n\r\n",
                        "Hello, World!", "text/plain"));
                default -> {
                    String body = "body of request " + i + " " + "#".repeat(i);
                    String request = i % 2 == 0
                            ? "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: text/x-" + i + "\r\nContent-Length: "
                                    + body.length() + "\r\n\r\n" + body
                            : "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: text/x-" + i
                                    + "\r\nTransfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(body.length())
                                    + "\r\n" + body + "\r\n0\r\n\r\n";
                    exchanges.add(new Exchange(request, body, "text/x-" + i));
                }
            }
        }
        return exchanges;
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void sixtyFourRequestsInOneWriteAreAnsweredInOrder(Transport transport) throws Exception {
        HttpServer server = SERVERS.get(transport);
        List<Exchange> exchanges = exchanges();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (Exchange exchange : exchanges) {
            all.writeBytes(RawHttp.bytes(exchange.request()));
        }
        try (RawHttp client = RawHttp.connect(server)) {
            // One request first, so the connection is open and counted before the measured write.
            client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(client.read().status()).isEqualTo(200);
            LoopStats before = server.stats();

            client.send(all.toByteArray());
            long received = 0;
            for (int i = 0; i < REQUESTS; i++) {
                Response response = client.read();
                Exchange exchange = exchanges.get(i);
                assertThat(response.status()).as("status of answer %d", i).isEqualTo(200);
                assertThat(response.bodyText()).as("body of answer %d", i).isEqualTo(exchange.expectedBody());
                assertThat(response.header("Content-Type")).as("type of answer %d", i)
                        .isEqualTo(exchange.expectedType());
                // Constant answers go out whole from a copy kept per Date line: each has the date of now.
                long sentAt = HttpDate.parse(response.header("Date"));
                assertThat(sentAt).as("Date of answer %d: %s", i, response.header("Date"))
                        .isBetween(System.currentTimeMillis() / 1000 - 5, System.currentTimeMillis() / 1000 + 1);
                received += response.statusLine().length() + 2 + response.body().length + 2
                        + response.headers().stream().mapToLong(h -> h[0].length() + 2 + h[1].length() + 2).sum();
            }
            client.assertStillOpen();

            if (transport.isNative()) {
                long bytes = received;
                // The counters are the loop's own and may lag: wait until they show every byte sent.
                RawHttp.awaitTrue("the loop's counters to show the answers written",
                        () -> server.stats().minus(before).bytesWritten() >= bytes);
                LoopStats during = server.stats().minus(before);
                long writes = during.calls(Call.WRITE) + during.calls(Call.WRITEV);
                assertThat(writes).as("write calls for %d pipelined answers (%s)", REQUESTS, during)
                        .isPositive().isLessThan(REQUESTS);
            }
        }
    }

    /** HEAD, errors and Connection: close in a pipeline: each in order, and nothing after the close. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void pipelineEndsAtConnectionClose(Transport transport) throws Exception {
        try (RawHttp client = RawHttp.connect(SERVERS.get(transport))) {
            client.send("HEAD /plaintext HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /nope HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"
                    + "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                    + "GET /plaintext HTTP/1.1\r\nHost: x\r\n\r\n");
            Response head = client.read(true);
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("Content-Length")).isEqualTo("13");
            assertThat(client.read().status()).isEqualTo(404);
            assertThat(client.read().bodyText()).isEqualTo("abc");
            Response last = client.read();
            assertThat(last.bodyText()).isEqualTo("hello\n");
            assertThat(last.header("Connection")).isEqualTo("close");
            client.assertClosedByServer();
        }
    }
}
