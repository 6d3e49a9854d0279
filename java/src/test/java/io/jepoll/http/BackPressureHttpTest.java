package io.jepoll.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.jepoll.echo.EchoClients;
import io.jepoll.loop.Transport;
import io.jepoll.net.SocketOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * HTTP back-pressure: a client that pipelines many requests for large answers and does not read
 * them must not make the server produce every answer into memory. Once a connection's output
 * passes the high-water mark the server answers no more of its requests; the ones it has not
 * answered stay unconsumed and are offered again when the output drains, without the client
 * sending anything more (HttpConnection.onWritable, SocketConnection.onReadsResumed).
 */
@Timeout(60)
class BackPressureHttpTest {

    private static final int REQUESTS = 30;
    private static final int BODY_BYTES = 1024 * 1024;
    private static final byte[] BODY = body();
    /** Built once; each answer shares this body and only adds a header naming its request. */
    private static final HttpResponse BIG = HttpResponse.of(200, "application/octet-stream", BODY);
    /** The client's SO_RCVBUF, set before connecting so the TCP window is small from the start. */
    private static final int CLIENT_RECEIVE_BUFFER = 16 * 1024;
    /**
     * The server's SO_SNDBUF. Left to the kernel, it grows to net.ipv4.tcp_wmem's maximum (4 MiB
     * here, 4 answers' worth), so how many answers fit would depend on the machine's settings.
     */
    private static final int SERVER_SEND_BUFFER = 64 * 1024;
    /**
     * Most requests a server may answer for a peer that reads nothing. Readiness transports: one
     * answer passes the 256 KiB high-water mark, and the kernel's buffers (the client's 16 KiB
     * receive buffer, the server's 64 KiB send buffer, each doubled by the kernel) hold less
     * than another. BLOCKING: the first answer's write blocks once those buffers are full.
     * Without back-pressure all 30 are answered at once.
     */
    private static final int MOST_ANSWERED_WHILE_NOT_READING = 8;

    private static byte[] body() {
        byte[] bytes = new byte[BODY_BYTES];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 31 + (i >>> 10));
        }
        return bytes;
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void pipelinedRequestsForLargeAnswersAreHeldBackAndAnsweredWhenTheClientReads(Transport transport)
            throws Exception {
        AtomicInteger handled = new AtomicInteger();
        HttpServer.Builder builder = RawHttp.builder(transport)
                .options(SocketOptions.builder().sendBufferSize(SERVER_SEND_BUFFER).build())
                .route("GET", "/big", request -> {
                    handled.incrementAndGet();
                    return BIG.withHeader("X-Request", request.query());
                });
        try (HttpServer server = builder.build().start();
                Socket socket = EchoClients.connect(server.localAddress(), CLIENT_RECEIVE_BUFFER)) {
            ByteArrayOutputStream requests = new ByteArrayOutputStream();
            for (int i = 0; i < REQUESTS; i++) {
                requests.writeBytes(RawHttp.bytes("GET /big?n=" + i + " HTTP/1.1\r\nHost: x\r\n\r\n"));
            }
            socket.getOutputStream().write(requests.toByteArray());
            socket.getOutputStream().flush();

            EchoClients.awaitTrue("the first request to be handled", () -> handled.get() >= 1);
            EchoClients.awaitNoProgress("requests answered and bytes written",
                    () -> handled.get() + server.stats().bytesWritten(), Duration.ofMillis(500));
            int answeredWhileNotReading = handled.get();
            assertThat(answeredWhileNotReading)
                    .as("requests answered (of %d pipelined, 1 MiB each) while the client read nothing;"
                            + " server %s", REQUESTS, server.stats())
                    .isBetween(1, MOST_ANSWERED_WHILE_NOT_READING);

            InputStream in = socket.getInputStream();
            for (int i = 0; i < REQUESTS; i++) {
                readBigAnswer(in, i);
            }
            assertThat(handled.get()).as("requests answered once the client read").isEqualTo(REQUESTS);
            socket.getOutputStream().write(RawHttp.bytes(RawHttp.FOLLOW_UP));
            assertThat(RawHttp.readHead(in)).as("answer to a request after the 30").startsWith("HTTP/1.1 200 ");
            assertThat(new String(EchoClients.readExactly(in, 13), StandardCharsets.US_ASCII)).isEqualTo("Hello, World!");
        }
    }

    /** Reads answer {@code i}: 200, the request it answers, and exactly the 1 MiB body. */
    private static void readBigAnswer(InputStream in, int i) throws IOException {
        String head = RawHttp.readHead(in);
        assertThat(head).as("head of answer %d", i).startsWith("HTTP/1.1 200 ");
        assertThat(head).as("head of answer %d", i).containsIgnoringCase("\r\nContent-Length: " + BODY_BYTES + "\r\n");
        assertThat(head).as("head of answer %d (answers in request order)", i)
                .contains("\r\nX-Request: n=" + i + "\r\n");
        byte[] body = EchoClients.readExactly(in, BODY_BYTES);
        int mismatch = Arrays.mismatch(body, BODY);
        if (mismatch >= 0) {
            fail("body of answer " + i + " differs from the route's body at byte " + mismatch);
        }
    }
}
