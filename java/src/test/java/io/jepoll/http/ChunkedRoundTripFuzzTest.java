package io.jepoll.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jepoll.http.ParserDriver.Outcome;
import io.jepoll.http.ParserDriver.Parsed;
import io.jepoll.http.ParserFuzzing.Split;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Any body, written in chunks of sizes the fuzzer picks, with chunk extensions, zero-padded upper-
 * or lower-case sizes and trailers, decodes to exactly the bytes written, and the decoder stops
 * exactly at the end of the message: the request after it parses too. A body over the limit is
 * refused with 413, trailers over the head limit with 431, a line of more than 4095 bytes with 400;
 * leading zeros are taken however many (the value must fit, not the digit count).
 */
class ChunkedRoundTripFuzzTest {

    private static final String HEAD = "POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
    private static final String NEXT = "GET /next HTTP/1.1\r\nHost: x\r\n\r\n";
    /** The longest chunk-size or trailer line the parser takes, CRLF not counted. */
    private static final int MAX_LINE = 4095;
    private static final Parsed NEXT_PARSED =
            new Parsed("GET", "/next", "/next", null, "HTTP/1.1", List.of("Host: x"), "", true, false);

    @FuzzTest(maxDuration = "20s")
    void chunkedBodiesDecodeToTheBytesEncoded(FuzzedDataProvider data) {
        HttpLimits limits = ParserFuzzing.bodyLimits(data, HEAD.length());
        Split split = Split.from(data);
        Chunking chunking = Chunking.from(data);
        byte[] body = data.consumeRemainingAsBytes();

        ByteArrayOutputStream input = new ByteArrayOutputStream();
        input.writeBytes(ParserFuzzing.bytes(HEAD));
        input.writeBytes(chunking.encode(body));
        input.writeBytes(ParserFuzzing.bytes(NEXT));
        Outcome outcome = ParserFuzzing.feedWholeAndSplit(limits, input.toByteArray(), split);

        Integer refusal = refusal(chunking, body.length, limits);
        if (refusal == null) {
            assertThat(outcome.error).as("refusal").isNull();
            Parsed upload = new Parsed("POST", "/upload", "/upload", null, "HTTP/1.1",
                    List.of("Host: x", "Transfer-Encoding: chunked"),
                    new String(body, StandardCharsets.ISO_8859_1), true, false);
            assertThat(outcome.requests).containsExactly(upload, NEXT_PARSED);
        } else {
            assertThat(outcome.requests).isEmpty();
            assertThat(outcome.error).as("refusal").isNotNull();
            assertThat(outcome.error.status()).as(outcome.error.getMessage()).isEqualTo(refusal);
        }
    }

    /** The status the parser must refuse this body with, going through it in order as the parser does; null if none. */
    private static Integer refusal(Chunking chunking, int bodyLength, HttpLimits limits) {
        List<Integer> sizes = new ArrayList<>(chunking.chunkSizes(bodyLength));
        sizes.add(0);
        long total = 0;
        for (int i = 0; i < sizes.size(); i++) {
            int size = sizes.get(i);
            if (chunking.sizeLine(i, size).length() > MAX_LINE) {
                return 400;
            }
            total += size;
            if (total > limits.maxBodyBytes()) {
                return 413;
            }
        }
        int trailerBytes = 0;
        for (String trailer : chunking.trailers()) {
            trailerBytes += trailer.length() + 2;
            if (trailerBytes > limits.maxHeaderBytes()) {
                return 431;
            }
        }
        return null;
    }
}
