package io.jepoll.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import io.jepoll.http.ParserDriver.Outcome;
import io.jepoll.http.ParserDriver.Parsed;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What the parser's fuzz tests share: limits and splits the fuzzer chooses, and feeding an input
 * whole and split as chosen, which must come out the same.
 *
 * <p>Jazzer fuzzes a single test per JVM, and the build's {@code fuzz} execution starts a JVM per
 * test class: so each fuzz test class holds one {@code @FuzzTest}. A {@link FuzzedDataProvider}
 * takes numbers from the end of the input and bytes from its front: a seed file is the bytes to
 * parse followed by the choices, the first choice last.
 */
final class ParserFuzzing {

    /** Every byte a header value may hold: visible ASCII, SP, HTAB and obs-text. */
    static final String FIELD_VALUE_CHARS = fieldValueChars();
    static final String TOKEN_CHARS = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

    private ParserFuzzing() {
    }

    /** Limits small enough for fuzzed input to cross each of them, large enough for a request with a body. */
    static HttpLimits limits(FuzzedDataProvider data) {
        int requestLine = data.consumeInt(16, 256);
        int head = requestLine + data.consumeInt(0, 3840);
        int headers = data.consumeInt(1, 32);
        int body = data.consumeInt(0, 4096);
        return HttpLimits.defaults().withMaxRequestLineBytes(requestLine).withMaxHeaderBytes(head)
                .withMaxHeaderCount(headers).withMaxBodyBytes(body);
    }

    /** Limits that let any head up to {@code headLength} bytes through; trailers and body meet chosen limits. */
    static HttpLimits bodyLimits(FuzzedDataProvider data, int headLength) {
        int head = data.consumeInt(headLength, 1024);
        int body = data.consumeInt(0, 4096);
        return HttpLimits.defaults().withMaxRequestLineBytes(headLength).withMaxHeaderBytes(head)
                .withMaxBodyBytes(body);
    }

    /** Where input is cut: pieces of these sizes in turn, over and over, each fed at a buffer offset. */
    record Split(int[] sizes, int offset) {

        static Split from(FuzzedDataProvider data) {
            int offset = data.consumeInt(0, 7);
            int[] sizes = new int[data.consumeInt(1, 8)];
            for (int i = 0; i < sizes.length; i++) {
                sizes[i] = data.consumeInt(1, 256);
            }
            return new Split(sizes, offset);
        }

        List<byte[]> pieces(byte[] input) {
            List<byte[]> pieces = new ArrayList<>();
            for (int at = 0, i = 0; at < input.length; i++) {
                int end = Math.min(input.length, at + sizes[i % sizes.length]);
                pieces.add(Arrays.copyOfRange(input, at, end));
                at = end;
            }
            return pieces;
        }

        @Override
        public String toString() {
            return "pieces of " + Arrays.toString(sizes) + " at offset " + offset;
        }
    }

    /** What a feed came to, as values that compare. */
    private record Result(List<Parsed> requests, Integer status, String reason, int leftover) {

        static Result of(Outcome outcome) {
            HttpException error = outcome.error;
            return new Result(outcome.requests, error == null ? null : error.status(),
                    error == null ? null : error.getMessage(), outcome.leftover);
        }
    }

    /**
     * Feeds {@code input} whole, then cut as {@code split} says. Both must keep the invariants of
     * {@link ParserDriver#assertWithinLimits} and give the same requests, the same refusal and
     * the same bytes left over: where reads happen to end changes nothing. Returns the whole feed.
     */
    static Outcome feedWholeAndSplit(HttpLimits limits, byte[] input, Split split) {
        Outcome whole = ParserDriver.feed(limits, List.of(input), 0);
        ParserDriver.assertWithinLimits(limits, whole);
        Outcome cut = ParserDriver.feed(limits, split.pieces(input), split.offset());
        ParserDriver.assertWithinLimits(limits, cut);
        assertThat(Result.of(cut)).as("fed in %s", split).isEqualTo(Result.of(whole));
        return whole;
    }

    /** The bytes of {@code text}, one per character (fuzz tests keep clear of RawHttp and the server classes it loads). */
    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Up to {@code maxLength} characters of {@code alphabet}, as the fuzzer picks them. */
    static String text(FuzzedDataProvider data, String alphabet, int maxLength) {
        char[] text = new char[data.consumeInt(0, maxLength)];
        for (int i = 0; i < text.length; i++) {
            text[i] = alphabet.charAt(data.consumeInt(0, alphabet.length() - 1));
        }
        return new String(text);
    }

    /** {@code text} without the spaces and tabs around it, as the parser trims a field value. */
    static String trimOws(String text) {
        int from = 0;
        int to = text.length();
        while (from < to && (text.charAt(from) == ' ' || text.charAt(from) == '\t')) {
            from++;
        }
        while (to > from && (text.charAt(to - 1) == ' ' || text.charAt(to - 1) == '\t')) {
            to--;
        }
        return text.substring(from, to);
    }

    private static String fieldValueChars() {
        StringBuilder chars = new StringBuilder(" \t");
        for (char c = 0x21; c <= 0xFF; c++) {
            if (c != 0x7F) {
                chars.append(c);
            }
        }
        return chars.toString();
    }
}
