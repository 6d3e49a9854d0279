package io.jepoll.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A request body takes memory for the bytes that arrived, not for what its head promised: a
 * peer that announces 8 MiB and sends 100 bytes must not make the server allocate 8 MiB
 * (RequestParser.ensureBodyCapacity: "memory follows the bytes that arrived, not what a header
 * promised"). And a body that does arrive whole still parses to exactly the bytes sent.
 */
@Timeout(60)
class BodyMemoryTest {

    private static final HttpLimits LIMITS = HttpLimits.defaults();
    /** The body limit by default; a Content-Length of exactly this is allowed. */
    private static final int EIGHT_MIB = 8 * 1024 * 1024;
    /** What "small" means for a body array holding 100 bytes. */
    private static final int SMALL = 64 * 1024;

    @Test
    void aContentLengthOfEightMibWithOneHundredBytesSentHoldsASmallBodyArray() {
        byte[] head = bytes("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: " + EIGHT_MIB + "\r\n\r\n");

        ParserDriver.Outcome outcome = ParserDriver.feed(LIMITS, List.of(head, pattern(100, 1)), 0);

        assertThat(outcome.error).as("parser error").isNull();
        assertThat(outcome.requests).as("requests complete after 100 of %d body bytes", EIGHT_MIB).isEmpty();
        assertThat(outcome.longestBody).as("body bytes read").isEqualTo(100);
        assertThat(outcome.largestBodyArray).as("body array for 100 bytes of a promised 8 MiB").isLessThan(SMALL);
    }

    @Test
    void aChunkOfEightMibMinusOneWithOneHundredBytesSentHoldsASmallBodyArray() {
        int size = EIGHT_MIB - 1;
        byte[] head = bytes("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                + Integer.toHexString(size).toUpperCase() + "\r\n");
        assertThat(new String(head, StandardCharsets.ISO_8859_1)).endsWith("\r\n7FFFFF\r\n");

        ParserDriver.Outcome outcome = ParserDriver.feed(LIMITS, List.of(head, pattern(100, 2)), 0);

        assertThat(outcome.error).as("parser error").isNull();
        assertThat(outcome.requests).as("requests complete after 100 bytes of a 7FFFFF chunk").isEmpty();
        assertThat(outcome.longestBody).as("body bytes read").isEqualTo(100);
        assertThat(outcome.largestBodyArray).as("body array for 100 bytes of a chunk of 8 MiB - 1").isLessThan(SMALL);
    }

    /** As bytes trickle in, the array stays within a doubling of what arrived. */
    @Test
    void theBodyArrayGrowsWithTheBytesThatArrive() {
        byte[] head = bytes("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: " + EIGHT_MIB + "\r\n\r\n");
        int sent = 200 * 1024;
        List<byte[]> pieces = new ArrayList<>();
        pieces.add(head);
        pieces.addAll(split(pattern(sent, 3), 1000));

        ParserDriver.Outcome outcome = ParserDriver.feed(LIMITS, pieces, 0);

        assertThat(outcome.error).as("parser error").isNull();
        assertThat(outcome.requests).isEmpty();
        assertThat(outcome.longestBody).as("body bytes read").isEqualTo(sent);
        assertThat(outcome.largestBodyArray).as("body array after %d of %d promised bytes", sent, EIGHT_MIB)
                .isLessThanOrEqualTo(2 * sent);
    }

    @Test
    void aContentLengthBodyInThousandBytePiecesParsesToExactlyTheBytesSent() {
        byte[] body = pattern(300 * 1024, 4);
        byte[] head = bytes("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length + "\r\n\r\n");

        ParserDriver.Outcome outcome = ParserDriver.feed(LIMITS, split(concat(head, body), 1000), 0);

        ParserDriver.Parsed parsed = outcome.single();
        assertBodyEquals(parsed.body(), body);
        assertThat(outcome.largestBodyArray).as("body array for a Content-Length of %d", body.length)
                .isEqualTo(body.length);
    }

    @Test
    void aChunkedBodyInThousandBytePiecesParsesToExactlyTheBytesSent() {
        byte[] body = pattern(300 * 1024, 5);
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes(bytes("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"));
        // Chunks of uneven sizes, one of them larger than a piece, one smaller.
        int[] sizes = {100 * 1024, 7, 150 * 1024 - 7, 50 * 1024};
        int from = 0;
        for (int size : sizes) {
            request.writeBytes(bytes(Integer.toHexString(size) + "\r\n"));
            request.write(body, from, size);
            request.writeBytes(bytes("\r\n"));
            from += size;
        }
        assertThat(from).isEqualTo(body.length);
        request.writeBytes(bytes("0\r\n\r\n"));

        ParserDriver.Outcome outcome = ParserDriver.feed(LIMITS, split(request.toByteArray(), 1000), 0);

        ParserDriver.Parsed parsed = outcome.single();
        assertBodyEquals(parsed.body(), body);
    }

    private static void assertBodyEquals(String parsedBody, byte[] expected) {
        byte[] actual = parsedBody.getBytes(StandardCharsets.ISO_8859_1);
        assertThat(actual.length).as("body length").isEqualTo(expected.length);
        assertThat(Arrays.mismatch(actual, expected)).as("first body byte that differs from what was sent")
                .isEqualTo(-1);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Every byte value, in an order that a shifted or dropped piece would break. */
    private static byte[] pattern(int length, int seed) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (i * 31 + (i >>> 8) + seed);
        }
        return bytes;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static List<byte[]> split(byte[] whole, int pieceSize) {
        List<byte[]> pieces = new ArrayList<>();
        for (int from = 0; from < whole.length; from += pieceSize) {
            pieces.add(Arrays.copyOfRange(whole, from, Math.min(whole.length, from + pieceSize)));
        }
        return pieces;
    }
}
