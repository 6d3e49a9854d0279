package io.jepoll.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.jepoll.http.ParserDriver.Outcome;
import io.jepoll.http.ParserDriver.Parsed;
import io.jepoll.http.RawHttp.Response;
import io.jepoll.loop.Transport;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A request split anywhere parses the same (DESIGN.md, Protocols): at the parser, at every byte
 * position; over a socket, at the positions where a parser is most likely to lose its place.
 */
@Timeout(60)
class SplitPointTest {

    private static final String LETTERS = "abcdefghijklmnopqrstuvwxyz";

    /** Leading CRLFs, a query, OWS, chunk extensions, a 2-digit hex size and a trailer. */
    static final String CHUNKED = "\r\n\r\nPOST /echo?x=1 HTTP/1.1\r\nHost: example\r\nContent-Type: text/x-split\r\n"
            + "Transfer-Encoding: chunked\r\nX-Ows: \t spaced \t\r\n\r\n"
            + "5;ext=1\r\nhello\r\n1A\r\n" + LETTERS + "\r\n0\r\nTrailer-A: 1\r\n\r\n";
    static final String CONTENT_LENGTH = "POST /echo HTTP/1.1\r\nHost: example\r\nContent-Length: 11\r\n"
            + "Connection: keep-alive\r\n\r\nhello world";
    static final String PIPELINED = CONTENT_LENGTH + CHUNKED;

    private static final HttpLimits LIMITS = HttpLimits.defaults();
    private static final RawHttp.Servers SERVERS = new RawHttp.Servers(RawHttp::builder);

    @AfterAll
    static void closeServers() {
        SERVERS.close();
    }

    private static byte[] request(String name) {
        return RawHttp.bytes(switch (name) {
            case "chunked" -> CHUNKED;
            case "content-length" -> CONTENT_LENGTH;
            case "pipelined" -> PIPELINED;
            default -> throw new IllegalArgumentException(name);
        });
    }

    @Test
    void inOnePieceTheRequestsParseAsWritten() {
        Parsed chunked = ParserDriver.feedSplit(LIMITS, request("chunked"), 0).single();
        assertThat(chunked).isEqualTo(new Parsed("POST", "/echo?x=1", "/echo", "x=1", "HTTP/1.1",
                List.of("Host: example", "Content-Type: text/x-split", "Transfer-Encoding: chunked",
                        "X-Ows: spaced"),
                "hello" + LETTERS, true, false));
        Parsed withLength = ParserDriver.feedSplit(LIMITS, request("content-length"), 0).single();
        assertThat(withLength).isEqualTo(new Parsed("POST", "/echo", "/echo", null, "HTTP/1.1",
                List.of("Host: example", "Content-Length: 11", "Connection: keep-alive"), "hello world", true,
                false));
        Outcome both = ParserDriver.feedSplit(LIMITS, request("pipelined"), 0);
        assertThat(both.error).isNull();
        assertThat(both.requests).containsExactly(withLength, chunked);
    }

    /** Two pieces, cut at every byte position, at buffer offset 0 and at an offset inside the buffer. */
    @ParameterizedTest
    @ValueSource(strings = {"chunked", "content-length", "pipelined"})
    void splitInTwoAtEveryPositionParsesTheSame(String name) {
        byte[] whole = request(name);
        List<Parsed> expected = ParserDriver.feedSplit(LIMITS, whole, 0).requests;
        assertThat(expected).isNotEmpty();
        for (int offset : new int[] {0, 7}) {
            for (int cut = 0; cut <= whole.length; cut++) {
                Outcome split = ParserDriver.feedSplit(LIMITS, whole, offset, cut);
                assertThat(split.error).as("error when cut at %d (offset %d)", cut, offset).isNull();
                assertThat(split.requests).as("requests when cut at %d (offset %d)", cut, offset)
                        .isEqualTo(expected);
                assertThat(split.leftover).as("bytes left when cut at %d", cut).isZero();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"chunked", "content-length", "pipelined"})
    void oneByteAtATimeParsesTheSame(String name) {
        byte[] whole = request(name);
        List<Parsed> expected = ParserDriver.feedSplit(LIMITS, whole, 0).requests;
        List<byte[]> pieces = new ArrayList<>();
        for (byte b : whole) {
            pieces.add(new byte[] {b});
        }
        Outcome split = ParserDriver.feed(LIMITS, pieces, 0);
        assertThat(split.error).isNull();
        assertThat(split.requests).isEqualTo(expected);
    }

    /** Three pieces at every pair of positions of the chunked request: still the same. */
    @Test
    void splitInThreeAtEveryPairOfPositionsParsesTheSame() {
        byte[] whole = request("chunked");
        List<Parsed> expected = ParserDriver.feedSplit(LIMITS, whole, 0).requests;
        for (int first = 0; first <= whole.length; first++) {
            for (int second = first; second <= whole.length; second++) {
                Outcome split = ParserDriver.feedSplit(LIMITS, whole, 0, first, second);
                assertThat(split.requests).as("requests when cut at %d and %d", first, second).isEqualTo(expected);
            }
        }
    }

    // ---------------------------------------------------------------- over a socket

    /** Cut positions where a parser keeps state across reads: inside tokens, between CR and LF, inside chunks. */
    static Stream<Arguments> socketSplits() {
        List<Arguments> splits = new ArrayList<>();
        for (Transport transport : Transport.values()) {
            for (String name : List.of("chunked", "content-length", "pipelined")) {
                String text = new String(request(name), StandardCharsets.ISO_8859_1);
                int headEnd = text.indexOf("\r\n\r\n", 4) + 4;
                List<Integer> cuts = new ArrayList<>(List.of(1, text.indexOf("POST") + 3, text.indexOf("Host: ex") + 2,
                        headEnd - 1, headEnd, text.length() - 1));
                if (name.equals("chunked")) {
                    cuts.addAll(List.of(text.indexOf("5;ext") + 3, text.indexOf("hello") + 2,
                            text.indexOf(LETTERS) + LETTERS.length() + 1, text.indexOf("0\r\nTrailer") + 1,
                            text.indexOf("Trailer-A") + 4));
                } else if (name.equals("content-length")) {
                    cuts.add(text.indexOf("hello world") + 5);
                } else {
                    cuts.add(text.indexOf("hello world") + 11);
                    cuts.add(text.indexOf("hello world") + 12);
                }
                for (int cut : cuts) {
                    splits.add(Arguments.of(transport, name, cut));
                }
            }
        }
        return splits.stream();
    }

    @ParameterizedTest(name = "[{0}] {1} cut at {2}")
    @MethodSource("socketSplits")
    void splitOverASocketEchoesTheSame(Transport transport, String name, int cut) throws Exception {
        byte[] whole = request(name);
        try (RawHttp client = RawHttp.connect(SERVERS.get(transport))) {
            client.send(Arrays.copyOfRange(whole, 0, cut));
            Thread.sleep(20);
            client.send(Arrays.copyOfRange(whole, cut, whole.length));
            if (!name.equals("chunked")) {
                Response first = client.read();
                assertThat(first.status()).isEqualTo(200);
                assertThat(first.bodyText()).isEqualTo("hello world");
                assertThat(first.header("Content-Type")).isEqualTo("application/octet-stream");
            }
            if (!name.equals("content-length")) {
                Response chunked = client.read();
                assertThat(chunked.status()).isEqualTo(200);
                assertThat(chunked.bodyText()).isEqualTo("hello" + LETTERS);
                assertThat(chunked.header("Content-Type")).isEqualTo("text/x-split");
            }
            client.assertStillOpen();
        }
    }
}
