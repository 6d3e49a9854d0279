package io.jepoll.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The chunked decoder on its own, without a head in front: what it decodes, where it stops, and
 * the status it refuses a body with. The parser's tests cover it behind a head.
 */
class ChunkedDecoderTest {

    private static final HttpLimits LIMITS = HttpLimits.defaults();
    /** Extensions with BWS and a quoted string, a two-digit upper-case size with leading zeros, two trailers. */
    private static final String BODY = "5;ext=1\r\nhello\r\n001A \t;name=\"quoted value\";flag\r\n"
            + "abcdefghijklmnopqrstuvwxyz\r\n0;last\r\nX-Sum: 1\r\nX-Empty:\r\n\r\n";
    private static final String DECODED = "helloabcdefghijklmnopqrstuvwxyz";
    private static final String NEXT = "GET /next HTTP/1.1\r\n";

    /** The body decoded and the offset just past the message in the bytes fed, or -1 while it is not whole. */
    private record Decoded(String body, int end) {
    }

    /**
     * Feeds {@code whole} cut at {@code cuts} (ascending offsets), each piece in a buffer of its own:
     * the decoder keeps what it needs of a piece, so nothing is offered twice.
     */
    private static Decoded decode(HttpLimits limits, byte[] whole, int... cuts) throws HttpException {
        ChunkedDecoder decoder = new ChunkedDecoder(limits);
        HttpRequest request = new HttpRequest();
        int[] ends = Arrays.copyOf(cuts, cuts.length + 1);
        ends[cuts.length] = whole.length;
        int from = 0;
        for (int to : ends) {
            ByteBuffer in = ByteBuffer.wrap(whole, from, to - from);
            if (decoder.read(in, request)) {
                return new Decoded(body(request), in.position());
            }
            assertThat(in.hasRemaining()).as("bytes left by a read that wants more").isFalse();
            from = to;
        }
        return new Decoded(body(request), -1);
    }

    private static Decoded decode(String whole) throws HttpException {
        return decode(LIMITS, bytes(whole));
    }

    private static String body(HttpRequest request) {
        return new String(request.body, 0, request.bodyLength, StandardCharsets.ISO_8859_1);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static void assertRefused(HttpLimits limits, String whole, int status) {
        assertThatThrownBy(() -> decode(limits, bytes(whole)))
                .isInstanceOfSatisfying(HttpException.class, e -> assertThat(e.status()).as(e.getMessage())
                        .isEqualTo(status));
    }

    @Test
    void decodesExtensionsAndTrailersAndStopsAtTheEndOfTheMessage() throws HttpException {
        assertThat(decode(BODY + NEXT)).isEqualTo(new Decoded(DECODED, BODY.length()));
    }

    @Test
    void waitsForTheLastByte() throws HttpException {
        assertThat(decode(BODY.substring(0, BODY.length() - 1))).isEqualTo(new Decoded(DECODED, -1));
    }

    @Test
    void splitInTwoAtEveryPositionDecodesTheSame() throws HttpException {
        byte[] whole = bytes(BODY + NEXT);
        for (int cut = 0; cut <= whole.length; cut++) {
            assertThat(decode(LIMITS, whole, cut)).as("cut at %d", cut).isEqualTo(new Decoded(DECODED,
                    BODY.length()));
        }
    }

    @Test
    void oneByteAtATimeDecodesTheSame() throws HttpException {
        byte[] whole = bytes(BODY);
        int[] cuts = new int[whole.length - 1];
        Arrays.setAll(cuts, i -> i + 1);
        assertThat(decode(LIMITS, whole, cuts)).isEqualTo(new Decoded(DECODED, BODY.length()));
    }

    @Test
    void resetStartsANewBody() throws HttpException {
        ChunkedDecoder decoder = new ChunkedDecoder(LIMITS);
        HttpRequest request = new HttpRequest();
        assertThat(decoder.read(ByteBuffer.wrap(bytes("3\r\nabc\r\n0\r\nX-T: 1\r\n")), request)).isFalse();
        decoder.reset();
        request.reset();
        assertThat(decoder.read(ByteBuffer.wrap(bytes("2\r\nok\r\n0\r\n\r\n")), request)).isTrue();
        assertThat(body(request)).isEqualTo("ok");
    }

    /** Memory follows the bytes that arrived, not the size a chunk declared. */
    @Test
    void aLargeChunkGrowsTheBodyOnlyAsItsBytesArrive() throws HttpException {
        ChunkedDecoder decoder = new ChunkedDecoder(LIMITS);
        HttpRequest request = new HttpRequest();
        assertThat(decoder.read(ByteBuffer.wrap(bytes("100000\r\n" + "x".repeat(10))), request)).isFalse();
        assertThat(body(request)).isEqualTo("x".repeat(10));
        assertThat(request.body.length).isLessThanOrEqualTo(4096);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            size not hex                         | zz\\r\\nhello\\r\\n0\\r\\n\\r\\n
            empty size                           | \\r\\nhello\\r\\n0\\r\\n\\r\\n
            space before the size                | ' 5\\r\\nhello\\r\\n0\\r\\n\\r\\n'
            junk after the size                  | 5x\\r\\nhello\\r\\n0\\r\\n\\r\\n
            16 hex digits of size                | ffffffffffffffff\\r\\n
            size overflowing 64 bits to 0        | 10000000000000000\\r\\n\\r\\n
            control byte in an extension         | 5;\\u0001\\r\\nhello\\r\\n0\\r\\n\\r\\n
            data longer than its size            | 3\\r\\nhello\\r\\n0\\r\\n\\r\\n
            missing CRLF after the data          | 5\\r\\nhello0\\r\\n\\r\\n
            bare LF after the size               | 5\\nhello\\r\\n0\\r\\n\\r\\n
            bare CR after the size               | 5\\rhello\\r\\n0\\r\\n\\r\\n
            bare LF after the data               | 5\\r\\nhello\\n0\\r\\n\\r\\n
            malformed trailer                    | 0\\r\\nBad Trailer\\r\\n\\r\\n
            trailer without a name               | 0\\r\\n: v\\r\\n\\r\\n
            obs-fold in a trailer                | 0\\r\\nX-T: a\\r\\n b\\r\\n\\r\\n
            control byte in a trailer            | 0\\r\\nX-T: \\u0001\\r\\n\\r\\n
            """)
    void malformedBodiesAre400(String name, String escaped) {
        assertRefused(LIMITS, unescape(escaped), 400);
    }

    @Test
    void aLineOfMoreThan4095BytesIs400() throws HttpException {
        String longest = "1;" + "x".repeat(4093);
        assertThat(longest).hasSize(4095);
        String accepted = longest + "\r\na\r\n0\r\n\r\n";
        assertThat(decode(accepted)).isEqualTo(new Decoded("a", accepted.length()));
        assertRefused(LIMITS, longest + "x\r\na\r\n0\r\n\r\n", 400);
        assertRefused(LIMITS, "0\r\nX-T: " + "x".repeat(4091) + "\r\n\r\n", 400);
    }

    @Test
    void aChunkDeclaredPastTheBodyLimitIs413BeforeItsBytesArrive() throws HttpException {
        HttpLimits limits = LIMITS.withMaxBodyBytes(10);
        String atLimit = "6\r\nhello \r\n4\r\nyou!\r\n0\r\n\r\n";
        assertThat(decode(limits, bytes(atLimit))).isEqualTo(new Decoded("hello you!", atLimit.length()));
        assertRefused(limits, "6\r\nhello \r\n5\r\n", 413);
        assertRefused(limits, "b\r\n", 413);
    }

    @Test
    void trailersPastTheHeadLimitAre431() throws HttpException {
        HttpLimits limits = LIMITS.withMaxRequestLineBytes(16).withMaxHeaderBytes(20);
        // Each trailer counts with its CRLF: 10 + 10 bytes is at the limit.
        String atLimit = "0\r\nX-A: 123\r\nX-B: 123\r\n\r\n";
        assertThat(decode(limits, bytes(atLimit))).isEqualTo(new Decoded("", atLimit.length()));
        assertRefused(limits, "0\r\nX-A: 123\r\nX-B: 1234\r\n\r\n", 431);
    }

    private static String unescape(String text) {
        return text.replace("\\r", "\r").replace("\\n", "\n").replace("\\u0001", "\u0001");
    }
}
