package io.jepoll.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Any bytes, decoded as a path parameter or as a query: the decoder gives text or a
 * {@link BadRequestException} (answered 400), never another exception; the text is never longer
 * than the bytes, nor are there more parameters than {@code &}-separated pairs; and on ASCII
 * input it agrees with the JDK's {@link URLDecoder}, which is lenient where it is strict: where
 * it refuses, URLDecoder throws too or yields a replacement character for bytes that are not UTF-8.
 */
class UrlDecodingFuzzTest {

    @FuzzTest(maxDuration = "10s")
    @DictionaryEntries({"%", "%C3%A9", "%E2%82%AC", "%F0%9F%98%80", "%ED%A0%80", "%C0%AF", "%FF", "+", "&", "=",
            "%2B", "%25", "%2F"})
    void anyBytesDecodeToTextOrABadRequest(FuzzedDataProvider data) {
        boolean form = data.consumeBoolean();
        byte[] bytes = data.consumeRemainingAsBytes();
        String decoded;
        try {
            decoded = form ? UrlDecoding.form(bytes, 0, bytes.length) : UrlDecoding.path(bytes, 0, bytes.length);
        } catch (BadRequestException refused) {
            String lenient = ascii(bytes) ? reference(bytes, form) : null;
            assertThat(lenient == null || lenient.contains("\uFFFD"))
                    .as("refused %s, which URLDecoder decodes to %s", RawHttp.printable(bytes), lenient).isTrue();
            assertPairsRefused(bytes);
            return;
        }
        assertThat(decoded.length()).as("chars decoded from %d bytes", bytes.length).isLessThanOrEqualTo(bytes.length);
        if (ascii(bytes)) {
            assertThat(decoded).isEqualTo(reference(bytes, form));
        }
        if (form) {
            Map<String, List<String>> pairs = UrlDecoding.pairs(bytes, 0, bytes.length);
            int values = pairs.values().stream().mapToInt(List::size).sum();
            assertThat(values).as("parameters in %s", RawHttp.printable(bytes)).isLessThanOrEqualTo(pairs(bytes));
        }
    }

    /**
     * A separator ends any escape or UTF-8 sequence it interrupts, so bytes refused whole are
     * refused as pairs too.
     */
    private static void assertPairsRefused(byte[] bytes) {
        try {
            Map<String, List<String>> pairs = UrlDecoding.pairs(bytes, 0, bytes.length);
            throw new AssertionError(RawHttp.printable(bytes) + " is refused whole but decodes as pairs: " + pairs);
        } catch (BadRequestException expected) {
            // As it should.
        }
    }

    /**
     * URLDecoder, or null where it throws, or where it reads a sign as part of an escape's hex
     * digits ({@code %+1} is byte 1 to it, as {@link Integer#parseInt} takes a sign).
     */
    private static String reference(byte[] bytes, boolean form) {
        String text = new String(bytes, StandardCharsets.US_ASCII);
        if (text.matches("(?s).*%[-+].*")) {
            return null;
        }
        try {
            return URLDecoder.decode(form ? text : text.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return null;
        }
    }

    private static boolean ascii(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }

    private static int pairs(byte[] bytes) {
        int pairs = 1;
        for (byte b : bytes) {
            if (b == '&') {
                pairs++;
            }
        }
        return pairs;
    }
}
