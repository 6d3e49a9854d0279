package io.jepoll.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jepoll.http.ByteRange.Full;
import io.jepoll.http.ByteRange.Partial;
import io.jepoll.http.ByteRange.Unsatisfiable;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Any {@code Range} value (ISO-8859-1, as header values are) against any size: never an
 * exception; a part is always within the representation and not empty; and the answer is the
 * one a plain reading of RFC 9110 section 14 gives, with arbitrary-precision numbers cut to
 * {@link Long#MAX_VALUE} as {@link ByteRange#of} documents.
 */
class ByteRangeFuzzTest {

    private static final Pattern SEPARATOR = Pattern.compile("[ \t]*,[ \t]*");
    private static final Pattern SPEC = Pattern.compile("([0-9]+)-([0-9]*)|-([0-9]+)");
    private static final BigInteger LARGEST = BigInteger.valueOf(Long.MAX_VALUE);

    @FuzzTest(maxDuration = "10s")
    @DictionaryEntries({"bytes=", "BYTES=", "-", ",", " , ", "\t", "0", "9223372036854775807",
        "9223372036854775808", "99999999999999999999"})
    void anyRangeOfAnySizeIsWholePartOrNothing(FuzzedDataProvider data) {
        long size = data.consumeBoolean() ? data.consumeLong(0, 2048) : data.consumeLong(0, Long.MAX_VALUE);
        String range = new String(data.consumeRemainingAsBytes(), StandardCharsets.ISO_8859_1);
        ByteRange result = ByteRange.of(range, size);
        if (result instanceof Partial partial) {
            assertThat(partial.start()).as("start of %s in %d", range, size).isNotNegative();
            assertThat(partial.length()).as("length of %s in %d", range, size).isPositive();
            assertThat(partial.start()).as("start of %s in %d", range, size).isLessThan(size);
            assertThat(partial.length()).as("length of %s in %d", range, size).isLessThanOrEqualTo(size - partial.start());
            assertThat(partial.size()).isEqualTo(size);
        }
        assertThat(result).as("%s in %d", range, size).isEqualTo(reference(range, size));
    }

    private static ByteRange reference(String range, long size) {
        if (!range.toLowerCase(Locale.ROOT).startsWith("bytes=")) {
            return new Full();
        }
        List<Matcher> specs = new ArrayList<>();
        for (String element : SEPARATOR.split(range.substring(6), -1)) {
            if (!element.isEmpty()) {
                Matcher spec = SPEC.matcher(element);
                if (!spec.matches()) {
                    return new Full();
                }
                specs.add(spec);
            }
        }
        for (Matcher spec : specs) {
            if (spec.group(1) != null && !spec.group(2).isEmpty()
                    && number(spec.group(2)).compareTo(number(spec.group(1))) < 0) {
                return new Full();
            }
        }
        if (specs.size() != 1) {
            return new Full();
        }
        Matcher spec = specs.get(0);
        if (spec.group(3) != null) {
            long suffix = number(spec.group(3)).longValueExact();
            if (suffix == 0) {
                return new Unsatisfiable(size);
            }
            return size == 0 ? new Full() : new Partial(size - Math.min(suffix, size), Math.min(suffix, size), size);
        }
        long first = number(spec.group(1)).longValueExact();
        if (first >= size) {
            return new Unsatisfiable(size);
        }
        long last = spec.group(2).isEmpty() ? size - 1 : Math.min(size - 1, number(spec.group(2)).longValueExact());
        return new Partial(first, last - first + 1, size);
    }

    private static BigInteger number(String digits) {
        return new BigInteger(digits).min(LARGEST);
    }
}
