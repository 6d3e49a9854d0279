package io.jepoll.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.jepoll.loop.Transport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bytes that can never start a request are refused as they arrive, not when the header timeout
 * ends a head that will never be whole: each gets 400 and a close at once, on every transport.
 * The server's header timeout (1 min here) is far longer than a read may wait ({@link RawHttp#TIMEOUT}),
 * so a refusal that waited for it fails the test.
 */
@Timeout(60)
class EarlyRefusalTest {

    private static final HttpLimits PATIENT = HttpLimits.defaults().withHeaderTimeout(Duration.ofMinutes(1));

    static Stream<Arguments> cases() {
        Stream<Arguments> inputs = Stream.of(
                Arguments.of("the start of a TLS handshake", new byte[] {0x16, 0x03, 0x01, 0x00, (byte) 0xa5, 0x01}),
                Arguments.of("binary junk", new byte[] {0x00, (byte) 0xff, 0x7f}),
                Arguments.of("a byte no method has", RawHttp.bytes("GE(")),
                Arguments.of("a request line without a version (HTTP/0.9)", RawHttp.bytes("GET /index.html\r\n")),
                Arguments.of("a control byte in the target", RawHttp.bytes("GET /a\u0001")),
                Arguments.of("a version that is not HTTP/d.d", RawHttp.bytes("GET / HTTPS/1.1")),
                Arguments.of("a version with a letter for a digit", RawHttp.bytes("GET / HTTP/x")));
        return inputs.flatMap(input -> Stream.of(Transport.values())
                .map(transport -> Arguments.of(transport, input.get()[0], input.get()[1])));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("cases")
    void isAnswered400AndClosedAtOnce(Transport transport, String what, byte[] bytes) throws Exception {
        try (HttpServer server = RawHttp.start(transport, PATIENT); RawHttp client = RawHttp.connect(server)) {
            RawHttp.Response answer = client.send(bytes).read();

            assertThat(answer.status()).as(what).isEqualTo(400);
            assertThat(answer.header("Connection")).isEqualTo("close");
            client.assertClosedByServer();
        }
    }

    /** What may still become a request is waited for: a method, a target, half a version. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void aRequestLineInPiecesIsWaitedForAndAnswered(Transport transport) throws Exception {
        try (HttpServer server = RawHttp.start(transport, PATIENT); RawHttp client = RawHttp.connect(server)) {
            for (String piece : new String[] {"\r", "\nGE", "T /plain", "text HT", "TP/1", ".1\r", "\nHost: a\r\n", "\r\n"}) {
                client.send(piece);
                Thread.sleep(20);
            }
            RawHttp.Response answer = client.read();

            assertThat(answer.status()).isEqualTo(200);
            assertThat(new String(answer.body(), StandardCharsets.US_ASCII)).isEqualTo("Hello, World!");
        }
    }
}
