package io.jepoll.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jepoll.http.ParserDriver.Outcome;
import io.jepoll.http.ParserFuzzing.Split;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Any bytes after a chunked head, under any limits and split: the parser either refuses them with
 * an {@link HttpException} or decodes the body a plain whole-input decoder finds in them, and the
 * message ends exactly where that decoder says: no byte sooner, no byte later.
 */
class AnyChunkedBodyFuzzTest {

    private static final byte[] HEAD =
            ParserFuzzing.bytes("POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");

    @FuzzTest(maxDuration = "20s")
    // No CR or LF in an entry: see AnyBytesFuzzTest.
    @DictionaryEntries({";", ";name=\"quoted\"", " ;", "X-Trailer: t", "fffffffffffffff", "0000000000000001", "FF"})
    void anyChunkedBodyDecodesAsSentOrGivesAnHttpError(FuzzedDataProvider data) {
        HttpLimits limits = ParserFuzzing.bodyLimits(data, HEAD.length);
        Split split = Split.from(data);
        byte[] chunked = data.consumeRemainingAsBytes();
        Outcome outcome = ParserFuzzing.feedWholeAndSplit(limits, withHead(chunked, chunked.length), split);
        if (outcome.requests.isEmpty()) {
            return;
        }
        Decoded expected = Decoded.of(chunked);
        assertThat(expected).as("what the parser took for a whole chunked body").isNotNull();
        assertThat(outcome.requests.get(0).body()).isEqualTo(expected.body());

        Outcome exact = ParserDriver.feed(limits, List.of(withHead(chunked, expected.end())), 0);
        assertThat(exact.single().body()).isEqualTo(expected.body());
        Outcome shorter = ParserDriver.feed(limits, List.of(withHead(chunked, expected.end() - 1)), 0);
        assertThat(shorter.requests).as("requests from all but the last byte").isEmpty();
        assertThat(shorter.error).as("refusal of all but the last byte").isNull();
    }

    private static byte[] withHead(byte[] chunked, int length) {
        byte[] input = Arrays.copyOf(HEAD, HEAD.length + length);
        System.arraycopy(chunked, 0, input, HEAD.length, length);
        return input;
    }

    /**
     * A chunked body decoded the plain way, with none of the parser's checks, and the index just
     * past the message.
     */
    private record Decoded(String body, int end) {

        /** Null when {@code in} holds no whole message. */
        static Decoded of(byte[] in) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            int at = 0;
            while (true) {
                int lineEnd = crlf(in, at);
                if (lineEnd < 0) {
                    return null;
                }
                long size = 0;
                for (int i = at; i < lineEnd && Ascii.hexValue(in[i]) >= 0 && size <= in.length; i++) {
                    size = size * 16 + Ascii.hexValue(in[i]);
                }
                at = lineEnd + 2;
                if (size == 0) {
                    break;
                }
                if (size + 2 > in.length - at) {
                    return null;
                }
                body.write(in, at, (int) size);
                at += (int) size + 2;
            }
            while (true) {
                int lineEnd = crlf(in, at);
                if (lineEnd < 0) {
                    return null;
                }
                boolean empty = lineEnd == at;
                at = lineEnd + 2;
                if (empty) {
                    return new Decoded(body.toString(StandardCharsets.ISO_8859_1), at);
                }
            }
        }

        private static int crlf(byte[] in, int from) {
            for (int i = from; i + 1 < in.length; i++) {
                if (in[i] == '\r' && in[i + 1] == '\n') {
                    return i;
                }
            }
            return -1;
        }
    }
}
