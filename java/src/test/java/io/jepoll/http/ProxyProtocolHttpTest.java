package io.jepoll.http;

import static io.jepoll.proxy.ProxyHeaders.CLIENT;
import static io.jepoll.proxy.ProxyHeaders.CLIENT6;
import static io.jepoll.proxy.ProxyHeaders.DESTINATION;
import static io.jepoll.proxy.ProxyHeaders.DESTINATION6;
import static io.jepoll.proxy.ProxyHeaders.ascii;
import static io.jepoll.proxy.ProxyHeaders.concat;
import static io.jepoll.proxy.ProxyHeaders.tlv;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.jepoll.LoggedWarnings;
import io.jepoll.loop.Transport;
import io.jepoll.proxy.ProxyHeaders;
import io.jepoll.proxy.ProxyProtocol;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * HTTP behind a balancer speaking the PROXY protocol, on every transport: a request after a v1
 * or v2 header is answered with the client the header names, while the socket's peer stays the
 * balancer; LOCAL and UNKNOWN are served as the connection itself; a header in pieces is waited
 * for, and the bytes after it are the request's; a connection without a valid header is closed
 * without a byte of answer, at once when a byte proves it, else when the header's time is up.
 */
@Timeout(60)
class ProxyProtocolHttpTest {

    private static final RawHttp.Servers SERVERS = new RawHttp.Servers(transport -> proxied(transport));
    private static final String REQUEST = "GET /client HTTP/1.1\r\nHost: a\r\n\r\n";

    /** A server of the protocol tests behind the PROXY protocol, with a route that tells who the client is. */
    static HttpServer.Builder proxied(Transport transport) {
        return RawHttp.builder(transport).proxyProtocol(true).route("GET", "/client", ProxyProtocolHttpTest::whoIsAsking);
    }

    /** {@code client -> destination via peer}: what a route sees of the addresses. */
    static HttpResponse whoIsAsking(HttpRequest request) {
        return HttpResponse.text(describe(request.clientAddress()) + " -> " + describe(request.clientDestination())
                + " via " + describe(request.remoteAddress()));
    }

    static String describe(SocketAddress address) {
        InetSocketAddress inet = (InetSocketAddress) address;
        return inet.getAddress().getHostAddress() + " " + inet.getPort();
    }

    @AfterAll
    static void stopServers() {
        SERVERS.close();
    }

    static Stream<Arguments> headers() {
        Stream<Arguments> headers = Stream.of(
                Arguments.of("v1 TCP4", ProxyHeaders.v1Tcp4(), CLIENT, DESTINATION),
                Arguments.of("v1 TCP6", ProxyHeaders.v1Tcp6(), CLIENT6, DESTINATION6),
                Arguments.of("v2 TCP4 with TLVs", ProxyHeaders.v2Tcp4(tlv(ProxyHeaders.TLV_AUTHORITY, "example.com"),
                        tlv(ProxyHeaders.TLV_UNIQUE_ID, "id-1"), tlv(ProxyHeaders.TLV_NOOP, new byte[7])), CLIENT, DESTINATION),
                Arguments.of("v2 TCP6", ProxyHeaders.v2Tcp6(), CLIENT6, DESTINATION6));
        return headers.flatMap(header -> Stream.of(Transport.values()).map(transport -> Arguments.of(transport,
                header.get()[0], header.get()[1], header.get()[2], header.get()[3])));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("headers")
    void aRequestInTheHeadersWriteIsAnsweredForTheClientItNames(Transport transport, String what, byte[] header,
            InetSocketAddress client, InetSocketAddress destination) throws Exception {
        try (RawHttp connection = RawHttp.connect(SERVERS.get(transport))) {
            RawHttp.Response answer = connection.send(concat(header, ascii(REQUEST))).read();

            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.text()).isEqualTo(describe(client) + " -> " + describe(destination) + " via "
                    + describe(connection.socket().getLocalSocketAddress()));
            connection.assertStillOpen();
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void localAndUnknownAreServedWithTheConnectionsOwnAddresses(Transport transport) throws Exception {
        HttpServer server = SERVERS.get(transport);
        for (byte[] header : new byte[][] {ProxyHeaders.v2Local(), ProxyHeaders.v1("PROXY UNKNOWN")}) {
            try (RawHttp connection = RawHttp.connect(server)) {
                RawHttp.Response answer = connection.send(concat(header, ascii(REQUEST))).read();

                String itself = describe(connection.socket().getLocalSocketAddress());
                assertThat(answer.text()).isEqualTo(itself + " -> " + describe(server.localAddress()) + " via " + itself);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aHeaderSentByteByByteIsWaitedFor(Transport transport) throws Exception {
        byte[] header = ProxyHeaders.v2Tcp4(tlv(ProxyHeaders.TLV_AUTHORITY, "example.com"));
        try (RawHttp connection = RawHttp.connect(SERVERS.get(transport))) {
            for (byte b : header) {
                connection.send(new byte[] {b});
                Thread.sleep(1);
            }
            RawHttp.Response answer = connection.send(REQUEST).read();

            assertThat(answer.text()).startsWith(describe(CLIENT) + " -> " + describe(DESTINATION));
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void pipelinedRequestsAfterTheHeaderAreAllAnswered(Transport transport) throws Exception {
        try (RawHttp connection = RawHttp.connect(SERVERS.get(transport))) {
            connection.send(concat(ProxyHeaders.v1Tcp4(), ascii(REQUEST + RawHttp.FOLLOW_UP + REQUEST)));

            assertThat(connection.read().text()).startsWith(describe(CLIENT));
            assertThat(connection.read().text()).isEqualTo("Hello, World!");
            assertThat(connection.read().text()).startsWith(describe(CLIENT));
        }
    }

    static Stream<Arguments> refused() {
        byte[] badSignature = ProxyHeaders.v2Tcp4();
        badSignature[10] = 'X';
        byte[] addresses = ProxyHeaders.addresses(CLIENT, DESTINATION);
        Stream<Arguments> inputs = Stream.of(
                Arguments.of("no header: a request", ascii(REQUEST)),
                Arguments.of("no header: a TLS ClientHello's start", new byte[] {0x16, 0x03, 0x01, 0x00, (byte) 0xa5, 0x01}),
                Arguments.of("a bad v2 signature", badSignature),
                Arguments.of("v2 version 1", ProxyHeaders.v2(0x11, ProxyHeaders.TCP4, addresses)),
                Arguments.of("v2 an unknown command", ProxyHeaders.v2(0x23, ProxyHeaders.TCP4, addresses)),
                Arguments.of("v2 an unknown family", ProxyHeaders.v2(ProxyHeaders.PROXY, 0x51, addresses)),
                Arguments.of("v2 UDP", ProxyHeaders.v2(ProxyHeaders.PROXY, 0x12, addresses)),
                Arguments.of("v2 too short for IPv6", ProxyHeaders.v2(ProxyHeaders.PROXY, ProxyHeaders.TCP6, addresses)),
                Arguments.of("v2 over the length limit", ProxyHeaders.v2(ProxyHeaders.PROXY, ProxyHeaders.TCP4, 0x8000,
                        addresses)),
                Arguments.of("v2 a TLV past the header's end", ProxyHeaders.v2Tcp4(new byte[] {2, 0, 9, 'a'})),
                Arguments.of("v1 no CRLF in 107 bytes", ascii("PROXY UNKNOWN " + "x".repeat(120))),
                Arguments.of("v1 LF without CR", ascii("PROXY TCP4 203.0.113.7 198.51.100.1 51234 443\n")),
                Arguments.of("v1 a bad address", ProxyHeaders.v1("PROXY TCP4 203.0.113.300 198.51.100.1 51234 443")),
                Arguments.of("v1 a port out of range", ProxyHeaders.v1("PROXY TCP4 203.0.113.7 198.51.100.1 51234 70000")),
                Arguments.of("v1 extra spaces", ProxyHeaders.v1("PROXY TCP4 203.0.113.7  198.51.100.1 51234 443")),
                Arguments.of("v1 an unknown protocol", ProxyHeaders.v1("PROXY TCP 203.0.113.7 198.51.100.1 1 2")));
        return inputs.flatMap(input -> Stream.of(Transport.values())
                .map(transport -> Arguments.of(transport, input.get()[0], input.get()[1])));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("refused")
    void aConnectionWithoutAValidHeaderIsClosedUnanswered(Transport transport, String what, byte[] bytes)
            throws Exception {
        try (RawHttp connection = RawHttp.connect(SERVERS.get(transport))) {
            long start = System.nanoTime();
            connection.send(concat(bytes, ascii(REQUEST)));

            assertThat(connection.readToTheEnd()).as(what).isEmpty();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("refused at once, not when the header's time is up")
                    .isLessThan(ProxyProtocol.DEFAULT_HEADER_TIMEOUT.dividedBy(2));
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aHeaderCutShortByTheEndOfInputIsRefused(Transport transport) throws Exception {
        try (RawHttp connection = RawHttp.connect(SERVERS.get(transport))) {
            byte[] header = ProxyHeaders.v2Tcp4();
            connection.send(Arrays.copyOf(header, header.length - 1));
            connection.shutdownOutput();

            assertThat(connection.readToTheEnd()).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aHeaderThatTricklesPastItsTimeoutIsClosed(Transport transport) throws Exception {
        Duration timeout = Duration.ofMillis(400);
        try (HttpServer server = proxied(transport).proxyHeaderTimeout(timeout).build().start();
                RawHttp connection = RawHttp.connect(server)) {
            long start = System.nanoTime();
            OutputStream out = connection.socket().getOutputStream();
            for (byte b : ascii("PROXY TCP4 203")) {
                out.write(b);
                Thread.sleep(10);
            }

            assertThat(connection.readToTheEnd()).isEmpty();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(timeout);
            assertThat(server.tcp().proxyProtocol().refused()).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void httpsAfterTheHeaderIsServedForTheClientItNames(Transport transport) throws Exception {
        try (HttpServer server = proxied(transport).tls(io.jepoll.TestTls.server()).build().start();
                RawHttp connection = RawHttp.connect(server.localAddress(), ProxyHeaders.v2Tcp6(), true)) {
            RawHttp.Response answer = connection.send(REQUEST).read();

            assertThat(answer.text()).startsWith(describe(CLIENT6) + " -> " + describe(DESTINATION6) + " via 127.0.0.1 ");
            connection.assertStillOpen();
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aClientHelloInTheHeadersWriteIsNotLost(Transport transport) throws Exception {
        try (HttpServer server = proxied(transport).tls(io.jepoll.TestTls.server()).build().start();
                RawHttp connection = RawHttp.connect(server.localAddress(), ProxyHeaders.v1Tcp4(), true)) {
            assertThat(connection.send(REQUEST).read().text()).startsWith(describe(CLIENT));
        }
    }

    /** A connection that has not sent its header counts against the cap, and is the first to make room. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void atTheCapAConnectionStillOwingItsHeaderMakesRoomForANewClient(Transport transport) throws Exception {
        try (HttpServer server = proxied(transport).maxConnections(1).build().start();
                RawHttp silent = RawHttp.connect(server)) {
            RawHttp.awaitTrue("the silent connection accepted", () -> server.stats().connectionsOpened() == 1);
            try (RawHttp client = RawHttp.connect(server)) {
                assertThat(client.send(concat(ProxyHeaders.v1Tcp4(), ascii(REQUEST))).read().status()).isEqualTo(200);
            }
            silent.assertClosedByServer();
        }
    }

    /** HTTP's refusal at the cap is behind the PROXY protocol too: it comes after the header, as an answer to it. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void atTheCapWithEveryConnectionBusyThe503ComesAfterTheHeader(Transport transport) throws Exception {
        byte[] halfAPost = concat(ProxyHeaders.v1Tcp4(),
                ascii("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhe"));
        try (HttpServer server = proxied(transport).maxConnections(1).build().start();
                RawHttp busy = RawHttp.connect(server)) {
            busy.send(halfAPost);
            RawHttp.awaitTrue("the half-sent POST read", () -> server.stats().bytesRead() >= halfAPost.length);

            try (RawHttp refused = RawHttp.connect(server)) {
                refused.socket().setSoTimeout(300);
                assertThat(catchThrowable(() -> refused.socket().getInputStream().read()))
                        .as("anything before the header").isInstanceOf(SocketTimeoutException.class);
                refused.socket().setSoTimeout((int) RawHttp.TIMEOUT.toMillis());
                RawHttp.Response answer = refused.send(ProxyHeaders.v2Tcp4()).read();

                assertThat(answer.status()).isEqualTo(503);
                refused.assertClosedByServer();
            }
            assertThat(busy.send("llo").read().text()).isEqualTo("hello");
        }
    }

    @Test
    void theFirstRefusalIsAWarningAndEveryOneIsCounted() throws Exception {
        Transport transport = Transport.best();
        try (LoggedWarnings warnings = LoggedWarnings.capture(); HttpServer server = proxied(transport).build().start()) {
            for (int i = 0; i < 3; i++) {
                try (RawHttp connection = RawHttp.connect(server)) {
                    assertThat(connection.send(REQUEST).readToTheEnd()).isEmpty();
                }
            }
            try (RawHttp connection = RawHttp.connect(server)) {
                assertThat(connection.send(concat(ProxyHeaders.v1Tcp4(), ascii(REQUEST))).read().status()).isEqualTo(200);
            }
            ProxyProtocol proxy = server.tcp().proxyProtocol();
            RawHttp.awaitTrue("three refusals counted", () -> proxy.refused() == 3);

            assertThat(proxy.accepted()).isEqualTo(1);
            assertThat(warnings.lines()).hasSize(1);
            assertThat(warnings.lines().get(0)).contains("refused the connection from /127.0.0.1:",
                    "no PROXY protocol header: the connection starts with \"GET /client HTTP\"...");
        }
    }
}
