package io.jepoll.http;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jepoll.http.ParserFuzzing.Split;

/**
 * Whatever bytes arrive, under whatever limits, however they are split: the parser gives requests
 * or an {@link HttpException} with a status it may refuse with, never another exception; its work
 * is bounded ({@link ParserDriver} fails a parser that stops making progress, and the build gives
 * Jazzer 10 s for an input); nothing goes past the limits; any split gives the same result.
 */
class AnyBytesFuzzTest {

    @FuzzTest(maxDuration = "20s")
    // Jazzer 0.30.0 writes entries to libFuzzer's dictionary without escaping CR or LF, which breaks
    // it: no entry holds one.
    @DictionaryEntries({"GET ", "POST ", "HEAD ", "OPTIONS * ", " HTTP/1.1", " HTTP/1.0", "http://", "Host: ",
            "Content-Length: ", "Transfer-Encoding: chunked", "Connection: close", "Connection: keep-alive",
            "Expect: 100-continue", ";ext=1"})
    void anyBytesGiveRequestsOrAnHttpError(FuzzedDataProvider data) {
        HttpLimits limits = ParserFuzzing.limits(data);
        Split split = Split.from(data);
        ParserFuzzing.feedWholeAndSplit(limits, data.consumeRemainingAsBytes(), split);
    }
}
