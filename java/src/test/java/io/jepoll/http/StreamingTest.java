package io.jepoll.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.jepoll.echo.SeededBytes;
import io.jepoll.loop.Transport;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Bodies that stream, on every transport: the built-in {@code POST /echo} sends a body back as
 * it arrives, to a client that reads while it sends and to one that sends everything first; an
 * answer of unknown length goes chunked (and to HTTP/1.0 until the close); a stream shorter than
 * its length cuts the connection; a body receiver gets every byte, pausing and resuming.
 */
@Timeout(120)
class StreamingTest {

    private static final int GENERATED = 5 * 1024 * 1024 + 17;

    private static final RawHttp.Servers SERVERS = new RawHttp.Servers(transport -> RawHttp.builder(transport)
            .builtInRoutes()
            .route("GET", "/generated", request -> HttpResponse.stream(200, "application/octet-stream", -1,
                    new Generated(GENERATED)))
            .route("GET", "/short", request -> HttpResponse.stream(200, "text/plain", 1000, new Generated(10)))
            .routeStreaming("PUT", "/count", request -> {
                boolean pausing = "1".equals(request.queryParam("pause"));
                return request.receiveBody(new BodyReceiver() {
                    private final MessageDigest digest = sha256();
                    private long bytes;
                    private int pieces;

                    @Override
                    public boolean onBody(ByteBuffer chunk) {
                        bytes += chunk.remaining();
                        digest.update(chunk);
                        if (pausing && ++pieces % 8 == 0) {
                            CompletableFuture.runAsync(request::resumeBody,
                                    CompletableFuture.delayedExecutor(5, java.util.concurrent.TimeUnit.MILLISECONDS));
                            return false;
                        }
                        return true;
                    }

                    @Override
                    public HttpResponse onEnd() {
                        return HttpResponse.text(bytes + " " + hex(digest.digest()) + "\n");
                    }
                });
            }));

    @AfterAll
    static void closeServers() {
        SERVERS.close();
    }

    /** A client that writes 24 MiB while another thread reads the echo: both go at the pace of the slower. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void anEchoLongerThanTheBodyLimitStreamsToAClientThatReadsWhileItSends(Transport transport) throws Exception {
        HttpServer server = SERVERS.get(transport);
        int length = 24 * 1024 * 1024;
        byte[] body = SeededBytes.array(11, length);
        try (RawHttp client = RawHttp.connect(server)) {
            CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
                try {
                    OutputStream out = client.socket().getOutputStream();
                    out.write(("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: " + length + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    for (int at = 0; at < length; at += 64 * 1024) {
                        out.write(body, at, Math.min(64 * 1024, length - at));
                    }
                    out.flush();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            RawHttp.Response echo = client.read();
            sending.get();
            assertThat(echo.status()).isEqualTo(200);
            assertThat(echo.header("Content-Length")).isEqualTo(String.valueOf(length));
            assertThat(Arrays.equals(echo.body(), body)).as("the echo is the body, byte for byte").isTrue();
        }
    }

    /**
     * A client that sends a whole 8 MiB body (the default body limit) before reading a byte still
     * gets it all back. On the non-blocking transports the server keeps reading the body into
     * memory while the echo waits for the client. On the blocking one the connection's thread
     * blocks in the echo's write and stops reading, so the body and its echo wait in the sockets'
     * buffers, which the client makes big enough for them: with the kernel's own sizing, which
     * grows a receive buffer only as its reader reads, a client that never reads can stall such a
     * server (the blocking transport's documented limit; see the README).
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void aClientThatSendsItsWholeBodyBeforeReadingGetsTheEcho(Transport transport) throws Exception {
        HttpServer server = SERVERS.get(transport);
        int length = 8 * 1024 * 1024;
        byte[] body = SeededBytes.array(12, length);
        try (RawHttp client = transport == Transport.BLOCKING
                ? RawHttp.connectWithBuffers(server, 4 * 1024 * 1024) : RawHttp.connect(server)) {
            client.send(("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: " + length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            client.send(body);
            RawHttp.Response echo = client.read();
            assertThat(Arrays.equals(echo.body(), body)).as("the echo is the body, byte for byte").isTrue();
            client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(client.read().text()).isEqualTo("hello\n");
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aChunkedBodyIsEchoedChunkedAndAnAnswerOfUnknownLengthGoesChunked(Transport transport) throws Exception {
        HttpServer server = SERVERS.get(transport);
        try (RawHttp client = RawHttp.connect(server)) {
            client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: text/x-greeting; charset=utf-8\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0007\r\n, world\r\n0\r\n\r\n");
            RawHttp.Response echo = client.read();
            assertThat(echo.header("Transfer-Encoding")).isEqualTo("chunked");
            assertThat(echo.header("Content-Type")).isEqualTo("text/x-greeting; charset=utf-8");
            assertThat(echo.text()).isEqualTo("hello, world");
            client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"
                    + "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
            RawHttp.Response untyped = client.read();
            assertThat(untyped.header("Content-Type")).isEqualTo("application/octet-stream");
            assertThat(untyped.header("Content-Length")).isEqualTo("3");
            assertThat(untyped.text()).isEqualTo("abc");
            assertThat(client.read().header("Content-Length")).as("an empty body echoed").isEqualTo("0");
        }
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        byte[] generated = http.send(java.net.http.HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + "/generated")).build(), BodyHandlers.ofByteArray()).body();
        assertThat(Arrays.equals(generated, Generated.bytes(GENERATED))).as("5 MiB generated, chunked").isTrue();

        try (RawHttp client = RawHttp.connect(server)) {
            client.send("GET /generated HTTP/1.0\r\n\r\n");
            InputStream in = client.socket().getInputStream();
            String all = RawHttp.readToTheEnd(in);
            assertThat(all).startsWith("HTTP/1.1 200 OK").contains("Connection: close\r\n")
                    .doesNotContain("Transfer-Encoding");
            assertThat(all.substring(all.indexOf("\r\n\r\n") + 4).getBytes(StandardCharsets.ISO_8859_1))
                    .as("to HTTP/1.0 the body ends with the connection").isEqualTo(Generated.bytes(GENERATED));
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aStreamShorterThanItsLengthCutsTheConnectionAndHeadSendsNoBody(Transport transport) throws Exception {
        HttpServer server = SERVERS.get(transport);
        try (RawHttp client = RawHttp.connect(server)) {
            client.send("GET /short HTTP/1.1\r\nHost: x\r\n\r\n");
            String all = client.readToTheEnd();
            assertThat(all).contains("Content-Length: 1000\r\n");
            assertThat(all.substring(all.indexOf("\r\n\r\n") + 4)).as("the 10 bytes the stream had, then the close")
                    .hasSize(10);
        }
        try (RawHttp client = RawHttp.connect(server)) {
            client.send("HEAD /generated HTTP/1.1\r\nHost: x\r\n\r\n" + RawHttp.FOLLOW_UP);
            RawHttp.Response head = client.read(true);
            assertThat(head.header("Transfer-Encoding")).isEqualTo("chunked");
            assertThat(client.read().text()).as("the next answer follows the head at once").isEqualTo("Hello, World!");
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aBodyReceiverGetsEveryBytePausingAndResuming(Transport transport) throws Exception {
        HttpServer server = SERVERS.get(transport);
        int length = 16 * 1024 * 1024 + 3;
        byte[] body = SeededBytes.array(13, length);
        String expected = length + " " + hex(sha256().digest(body)) + "\n";
        for (String query : new String[] {"", "?pause=1"}) {
            try (RawHttp client = RawHttp.connect(server)) {
                client.send(("PUT /count" + query + " HTTP/1.1\r\nHost: x\r\nContent-Length: " + length + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                client.send(body);
                assertThat(client.read().text()).as("PUT /count%s", query).isEqualTo(expected);
            }
        }
    }

    /** The bytes 0, 1, 2, ... (mod 251), produced as pulled. */
    private static final class Generated implements BodySource {
        private final long length;
        private long produced;

        Generated(long length) {
            this.length = length;
        }

        static byte[] bytes(int length) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int i = 0; i < length; i++) {
                out.write(i % 251);
            }
            return out.toByteArray();
        }

        @Override
        public int read(ByteBuffer dst) {
            if (produced == length) {
                return -1;
            }
            int n = (int) Math.min(dst.remaining(), length - produced);
            for (int i = 0; i < n; i++) {
                dst.put((byte) ((produced + i) % 251));
            }
            produced += n;
            return n;
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] bytes) {
        StringBuilder s = new StringBuilder();
        for (byte b : bytes) {
            s.append(String.format("%02x", b));
        }
        return s.toString();
    }
}
