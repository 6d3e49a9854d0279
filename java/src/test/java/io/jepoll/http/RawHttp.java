package io.jepoll.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jepoll.TestTls;
import io.jepoll.loop.Transport;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import javax.net.ssl.SSLException;

/**
 * A raw HTTP/1.1 client on a blocking loopback socket for the http tests: sends bytes exactly as
 * given, reads one response at a time (status line, headers, a body by Content-Length) and tells
 * whether the server closed the connection. Every read is bounded by {@link #TIMEOUT}.
 */
final class RawHttp implements AutoCloseable {

    /** The longest a single read or wait may take before the test fails. */
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    /** A second, valid request: its answer proves the connection stayed usable. */
    static final String FOLLOW_UP = "GET /plaintext HTTP/1.1\r\nHost: follow.up\r\n\r\n";

    private static final int MAX_HEAD_BYTES = 8 * 1024;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RawHttp(Socket socket) throws IOException {
        this.socket = socket;
        // Buffered: the heads are parsed a byte at a time, and a system call per byte made
        // ConnectionLeakTest's clients three times slower than the server they test.
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** Skips the test, with the reason, where {@code transport} cannot run here. */
    static void assumeAvailable(Transport transport) {
        assumeTrue(transport.isAvailable(),
                () -> transport + " is not available: " + transport.unavailabilityReason().orElse("?"));
    }

    /** A started server on 127.0.0.1 (kernel-chosen port) with the built-in routes and {@code limits}. */
    static HttpServer start(Transport transport, HttpLimits limits) throws IOException {
        return builder(transport).limits(limits).build().start();
    }

    /** {@link #start(Transport, HttpLimits)}, serving HTTPS with the test certificate when {@code tls}. */
    static HttpServer start(Transport transport, HttpLimits limits, boolean tls) throws IOException {
        HttpServer.Builder builder = builder(transport).limits(limits);
        return (tls ? builder.tls(TestTls.server()) : builder).build().start();
    }

    /**
     * A builder on 127.0.0.1, port 0, one loop of {@code transport}, with the routes of the
     * protocol tests: {@code GET /} and {@code /plaintext} as built in, {@code POST /echo} with a
     * buffered body (so that the body limit and the framing rules answer before any of the
     * answer), and the built-in streaming echo at {@code POST /stream-echo}.
     */
    static HttpServer.Builder builder(Transport transport) {
        assumeAvailable(transport);
        return HttpServer.builder().host("127.0.0.1").port(0).transport(transport).loops(1).builtInRoutes()
                .route("POST", "/echo", RawHttp::bufferedEcho)
                .routeStreaming("POST", "/stream-echo", request -> HttpResponse.stream(200,
                        contentType(request), request.chunked() ? -1 : Math.max(0, request.contentLength()),
                        request.bodySource()));
    }

    static HttpResponse bufferedEcho(HttpRequest request) {
        return HttpResponse.of(200, contentType(request), request.body());
    }

    private static String contentType(HttpRequest request) {
        String type = request.header("Content-Type");
        return type != null ? type : "application/octet-stream";
    }

    static RawHttp connect(HttpServer server) throws IOException {
        return connect(server.localAddress());
    }

    static RawHttp connect(InetSocketAddress address) throws IOException {
        return connect(address, false);
    }

    /** A connection to {@code server}, over TLS (the handshake done) when {@code tls}. */
    static RawHttp connect(HttpServer server, boolean tls) throws IOException {
        return connect(server.localAddress(), tls);
    }

    static RawHttp connect(InetSocketAddress address, boolean tls) throws IOException {
        return connect(address, new byte[0], tls, 0);
    }

    /** A connection that sends {@code first} as it is (a PROXY protocol header), then speaks TLS when {@code tls}. */
    static RawHttp connect(InetSocketAddress address, byte[] first, boolean tls) throws IOException {
        return connect(address, first, tls, 0);
    }

    /**
     * A plain connection whose socket buffers ask for {@code bytes} each way (the kernel caps them
     * at {@code net.core.[rw]mem_max}, and doubles what it grants for its own overhead).
     */
    static RawHttp connectWithBuffers(HttpServer server, int bytes) throws IOException {
        return connect(server.localAddress(), new byte[0], false, bytes);
    }

    private static RawHttp connect(InetSocketAddress address, byte[] first, boolean tls, int socketBuffers)
            throws IOException {
        Socket socket = new Socket();
        try {
            if (socketBuffers > 0) {
                // Before the connect: the receive buffer decides the window the handshake offers.
                socket.setReceiveBufferSize(socketBuffers);
                socket.setSendBufferSize(socketBuffers);
            }
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            socket.setTcpNoDelay(true);
            socket.connect(address, (int) TIMEOUT.toMillis());
            socket.getOutputStream().write(first);
            return new RawHttp(tls ? TestTls.over(socket, address) : socket);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    RawHttp send(String text) throws IOException {
        return send(bytes(text));
    }

    RawHttp send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** Half-closes: the server sees the end of the stream after what was sent. */
    void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    Socket socket() {
        return socket;
    }

    /** Reads one response to a request other than HEAD; fails on EOF or timeout before it is complete. */
    Response read() throws IOException {
        return read(false);
    }

    /**
     * Reads one response. {@code toHead}: it answers a HEAD request, so it has no body whatever
     * its Content-Length says. A 1xx response has no body either.
     */
    Response read(boolean toHead) throws IOException {
        String statusLine = readLine();
        if (statusLine == null) {
            fail("the connection ended before a response (expected a status line)");
        }
        String[] parts = statusLine.split(" ", 3);
        assertThat(parts.length).as("status line '%s'", statusLine).isGreaterThanOrEqualTo(2);
        assertThat(parts[0]).as("version in status line '%s'", statusLine).isEqualTo("HTTP/1.1");
        int status = Integer.parseInt(parts[1]);
        List<String[]> headers = new ArrayList<>();
        for (String line = readLine(); ; line = readLine()) {
            if (line == null) {
                fail("the connection ended inside the head of a " + status + " response");
            }
            if (line.isEmpty()) {
                break;
            }
            int colon = line.indexOf(':');
            assertThat(colon).as("header line '%s'", line).isPositive();
            headers.add(new String[] {line.substring(0, colon), line.substring(colon + 1).strip()});
        }
        Response response = new Response(statusLine, status, headers, new byte[0]);
        if (toHead || status < 200 || status == 204 || status == 304) {
            return response;
        }
        String length = response.header("Content-Length");
        if (length == null) {
            assertThat(response.header("Transfer-Encoding")).as("framing of a %d response without Content-Length",
                    status).isEqualTo("chunked");
            return new Response(statusLine, status, headers, readChunks());
        }
        int n = Integer.parseInt(length);
        byte[] body = in.readNBytes(n);
        if (body.length < n) {
            fail("the connection ended after " + body.length + " of " + n + " body bytes");
        }
        return new Response(statusLine, status, headers, body);
    }

    /** A chunked body, as the server frames it: no extensions, no trailers. */
    private byte[] readChunks() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine();
            if (sizeLine == null) {
                fail("the connection ended inside a chunked body, after " + body.size() + " bytes");
            }
            int size = Integer.parseInt(sizeLine, 16);
            if (size == 0) {
                assertThat(readLine()).as("the empty line after the last chunk").isEmpty();
                return body.toByteArray();
            }
            byte[] chunk = in.readNBytes(size);
            if (chunk.length < size) {
                fail("the connection ended inside a chunk, after " + (body.size() + chunk.length) + " bytes");
            }
            body.write(chunk);
            assertThat(readLine()).as("the end of a chunk").isEmpty();
        }
    }

    /** Reads a response, skipping any interim 1xx responses before it. */
    Response readFinal(boolean toHead) throws IOException {
        Response response = read(toHead);
        while (response.status() < 200) {
            response = read(toHead);
        }
        return response;
    }

    /**
     * Whether the server has closed the connection: the next read sees the end of the stream
     * (or a reset). False when a byte arrives; a timeout fails the test.
     */
    boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            fail("the server neither sent anything nor closed the connection within " + TIMEOUT.toMillis() + " ms");
            return false;
        } catch (SocketException | SSLException e) {
            // A reset, or over TLS the end of the stream without a close_notify.
            return true;
        }
    }

    /** Everything the server sends until it closes (a reset ends it too); a timeout fails the test. */
    String readToTheEnd() throws IOException {
        return readToTheEnd(in);
    }

    /** {@link #readToTheEnd()} for a socket's stream of a test's own, with a read timeout set. */
    static String readToTheEnd(InputStream in) throws IOException {
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        try {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                read.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server neither answered nor closed within " + TIMEOUT.toMillis() + " ms", e);
        } catch (SocketException | SSLException reset) {
            // A reset ends it too (the server closed with bytes of ours unread); over TLS, so does
            // the end of the stream without a close_notify.
        }
        return read.toString(StandardCharsets.ISO_8859_1);
    }

    /** The server closed the connection with nothing more after what was read. */
    void assertClosedByServer() throws IOException {
        ByteArrayOutputStream extra = new ByteArrayOutputStream();
        try {
            for (int b = in.read(); b >= 0; b = in.read()) {
                extra.write(b);
            }
        } catch (SocketTimeoutException e) {
            fail("the connection stayed open (no EOF within " + TIMEOUT.toMillis() + " ms); after the expected"
                    + " responses came: " + printable(extra.toByteArray()));
        } catch (SocketException | SSLException reset) {
            // A reset is a close too, as is over TLS the end of the stream without a close_notify.
        }
        assertThat(extra.size()).as("bytes after the expected responses, before EOF: %s",
                printable(extra.toByteArray())).isZero();
    }

    /** The connection is still usable: a follow-up request is answered. */
    void assertStillOpen() throws IOException {
        send(FOLLOW_UP);
        Response response = read();
        assertThat(response.status()).as("status of a follow-up request on the same connection").isEqualTo(200);
        assertThat(response.bodyText()).isEqualTo("Hello, World!");
    }

    /**
     * The status line and headers up to and including the empty line, for tests that read from
     * a socket of their own (a receive buffer set before connecting, a body checked as it streams).
     */
    static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int lastFour = 0;
        while (head.size() < MAX_HEAD_BYTES) {
            int b = in.read();
            if (b < 0) {
                fail("the connection ended inside a response head: " + printable(head.toByteArray()));
            }
            head.write(b);
            lastFour = lastFour << 8 | b;
            if (lastFour == ('\r' << 24 | '\n' << 16 | '\r' << 8 | '\n')) {
                return head.toString(StandardCharsets.ISO_8859_1);
            }
        }
        fail("no end of a response head within " + MAX_HEAD_BYTES + " bytes: " + printable(head.toByteArray()));
        return null;
    }

    /** A line without its CRLF (a bare LF ends a line too); null at EOF before any byte. */
    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b;
            try {
                b = in.read();
            } catch (SocketTimeoutException e) {
                fail("no complete response line within " + TIMEOUT.toMillis() + " ms; got so far: "
                        + printable(line.toByteArray()));
                return null;
            } catch (SocketException e) {
                if (line.size() == 0) {
                    return null;
                }
                throw e;
            }
            if (b < 0) {
                return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
            }
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
    }

    static String printable(byte[] bytes) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < Math.min(bytes.length, 300); i++) {
            int b = bytes[i] & 0xFF;
            if (b == '\r') {
                out.append("\\r");
            } else if (b == '\n') {
                out.append("\\n");
            } else if (b < 0x20 || b >= 0x7F) {
                out.append(String.format("\\x%02x", b));
            } else {
                out.append((char) b);
            }
        }
        return bytes.length > 300 ? out + "... (" + bytes.length + " bytes)" : out.toString();
    }

    /** Polls until {@code condition} holds, failing after {@link #TIMEOUT}. */
    static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("gave up waiting for " + what + " after " + TIMEOUT.toSeconds() + " s");
            }
            Thread.sleep(10);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** Servers started on first use, one per transport, shared by the cases of a test class. */
    static final class Servers implements AutoCloseable {
        private final Map<Transport, HttpServer> started = new EnumMap<>(Transport.class);
        private final Function<Transport, HttpServer.Builder> builder;

        /** @param builder how to build the server of a transport (see {@link RawHttp#builder}) */
        Servers(Function<Transport, HttpServer.Builder> builder) {
            this.builder = builder;
        }

        synchronized HttpServer get(Transport transport) throws IOException {
            HttpServer server = started.get(transport);
            if (server == null) {
                server = builder.apply(transport).build().start();
                started.put(transport, server);
            }
            return server;
        }

        @Override
        public synchronized void close() {
            started.values().forEach(HttpServer::close);
            started.clear();
        }
    }

    /** One response as read: the status line, headers in order, the body. */
    record Response(String statusLine, int status, List<String[]> headers, byte[] body) {

        /** The body as UTF-8 text. */
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** The first value of the named header (any case), or null. */
        String header(String name) {
            for (String[] header : headers) {
                if (header[0].equalsIgnoreCase(name)) {
                    return header[1];
                }
            }
            return null;
        }

        int count(String name) {
            return (int) headers.stream().filter(h -> h[0].equalsIgnoreCase(name)).count();
        }

        String bodyText() {
            return new String(body, StandardCharsets.ISO_8859_1);
        }

        @Override
        public String toString() {
            StringBuilder text = new StringBuilder(statusLine);
            for (String[] header : headers) {
                text.append(" | ").append(header[0]).append(": ").append(header[1]);
            }
            return text.append(" | body ").append(printable(body)).toString();
        }
    }
}
