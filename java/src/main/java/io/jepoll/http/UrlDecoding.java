package io.jepoll.http;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Percent-decoding (RFC 3986) of path segments, and of queries and form bodies
 * ({@code application/x-www-form-urlencoded}, where {@code +} is a space too), to UTF-8 text.
 * Strict: a {@code %} not followed by two hex digits, or bytes that are not UTF-8, are a
 * {@link BadRequestException}. The text is never longer than the bytes it comes from.
 */
final class UrlDecoding {

    private UrlDecoding() {
    }

    /** A path segment or remainder: {@code +} stays a plus. */
    static String path(byte[] bytes, int from, int to) {
        return decode(bytes, from, to, false);
    }

    /** A name or a value of a query or a form: {@code +} is a space. */
    static String form(byte[] bytes, int from, int to) {
        return decode(bytes, from, to, true);
    }

    /**
     * The pairs of a query or a form body, in order: {@code name=value} separated by {@code &};
     * a name without {@code =} has the value "", and empty pairs ({@code a=1&&b=2}) are skipped.
     */
    static Map<String, List<String>> pairs(byte[] bytes, int from, int to) {
        Map<String, List<String>> pairs = new LinkedHashMap<>();
        int start = from;
        while (start <= to) {
            int end = start;
            while (end < to && bytes[end] != '&') {
                end++;
            }
            if (end > start) {
                int equals = start;
                while (equals < end && bytes[equals] != '=') {
                    equals++;
                }
                String name = form(bytes, start, equals);
                String value = equals < end ? form(bytes, equals + 1, end) : "";
                pairs.computeIfAbsent(name, n -> new ArrayList<>(1)).add(value);
            }
            start = end + 1;
        }
        pairs.replaceAll((name, values) -> Collections.unmodifiableList(values));
        return Collections.unmodifiableMap(pairs);
    }

    private static String decode(byte[] bytes, int from, int to, boolean plusIsSpace) {
        boolean plain = true;
        for (int i = from; i < to && plain; i++) {
            byte b = bytes[i];
            plain = b >= 0 && b != '%' && !(plusIsSpace && b == '+');
        }
        if (plain) {
            return new String(bytes, from, to - from, StandardCharsets.US_ASCII);
        }
        byte[] decoded = new byte[to - from];
        int n = 0;
        for (int i = from; i < to; i++) {
            byte b = bytes[i];
            if (b == '%') {
                int high = i + 2 < to ? Ascii.hexValue(bytes[i + 1]) : -1;
                int low = high >= 0 ? Ascii.hexValue(bytes[i + 2]) : -1;
                if (low < 0) {
                    throw new BadRequestException("a % not followed by two hex digits at " + (i - from));
                }
                decoded[n++] = (byte) (high << 4 | low);
                i += 2;
            } else {
                decoded[n++] = plusIsSpace && b == '+' ? (byte) ' ' : b;
            }
        }
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            CharBuffer text = utf8.decode(ByteBuffer.wrap(decoded, 0, n));
            return text.toString();
        } catch (CharacterCodingException e) {
            throw new BadRequestException("percent-decoded bytes that are not UTF-8");
        }
    }
}
