package io.jepoll.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.jepoll.http.ByteRange.Full;
import io.jepoll.http.ByteRange.Partial;
import io.jepoll.http.ByteRange.Unsatisfiable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code Range} values of RFC 9110 section 14, against a representation of 1000 bytes unless said otherwise. */
class ByteRangeTest {

    private static final long SIZE = 1000;

    @ParameterizedTest(name = "{0} -> {1}+{2}")
    @CsvSource(delimiter = '|', value = {
        "bytes=0-499        | 0   | 500",
        "bytes=500-999      | 500 | 500",
        "bytes=0-0          | 0   | 1",
        "bytes=999-999      | 999 | 1",
        "bytes=500-         | 500 | 500",
        "bytes=0-           | 0   | 1000",
        "bytes=-500         | 500 | 500",
        "bytes=-1           | 999 | 1",
        "bytes=-1000        | 0   | 1000",
        "bytes=-1001        | 0   | 1000",
        "bytes=990-2000     | 990 | 10",
        "bytes=000010-00019 | 10  | 10",
        "BYTES=1-2          | 1   | 2",
        "Bytes=1-2          | 1   | 2",
        "bytes=1-2,         | 1   | 2",
        "'bytes=1-2 ,,\t, ' | 1   | 2",
        "'bytes=,1-2'       | 1   | 2",
        "bytes=-99999999999999999999999 | 0 | 1000",
        "bytes=5-99999999999999999999999 | 5 | 995",
    })
    void oneSatisfiableRangeIsPartial(String range, long start, long length) {
        assertThat(ByteRange.of(range, SIZE)).isEqualTo(new Partial(start, length, SIZE));
    }

    @Test
    void namesThePartInContentRange() {
        assertThat(((Partial) ByteRange.of("bytes=0-499", SIZE)).contentRange()).isEqualTo("bytes 0-499/1000");
        assertThat(((Partial) ByteRange.of("bytes=-1", SIZE)).contentRange()).isEqualTo("bytes 999-999/1000");
        assertThat(((Partial) ByteRange.of("bytes=10-", SIZE)).contentRange()).isEqualTo("bytes 10-999/1000");
    }

    @ParameterizedTest
    @ValueSource(strings = {"bytes=1000-", "bytes=1000-1000", "bytes=5000-6000", "bytes=-0", "bytes=-000",
        "bytes=99999999999999999999-", "bytes=9223372036854775807-9223372036854775807"})
    void aRangeBeyondTheEndIsUnsatisfiable(String range) {
        ByteRange result = ByteRange.of(range, SIZE);
        assertThat(result).isEqualTo(new Unsatisfiable(SIZE));
        assertThat(((Unsatisfiable) result).contentRange()).isEqualTo("bytes */1000");
    }

    @Test
    void ofAnEmptyRepresentationOnlyASuffixIsSatisfiableAndItIsAllOfIt() {
        assertThat(ByteRange.of("bytes=0-", 0)).isEqualTo(new Unsatisfiable(0));
        assertThat(ByteRange.of("bytes=0-0", 0)).isEqualTo(new Unsatisfiable(0));
        assertThat(ByteRange.of("bytes=-0", 0)).isEqualTo(new Unsatisfiable(0));
        assertThat(ByteRange.of("bytes=-5", 0)).isEqualTo(new Full());
    }

    @Test
    void theLargestSizeAndPositionsStayInRange() {
        long size = Long.MAX_VALUE;
        assertThat(ByteRange.of("bytes=9223372036854775806-", size)).isEqualTo(new Partial(size - 1, 1, size));
        assertThat(ByteRange.of("bytes=0-99999999999999999999", size)).isEqualTo(new Partial(0, size, size));
        assertThat(ByteRange.of("bytes=-99999999999999999999", size)).isEqualTo(new Partial(0, size, size));
        assertThat(((Partial) ByteRange.of("bytes=-1", size)).contentRange())
                .isEqualTo("bytes 9223372036854775806-9223372036854775806/9223372036854775807");
    }

    /** Several ranges get the whole representation, even where they would coalesce or none is satisfiable. */
    @ParameterizedTest
    @ValueSource(strings = {"bytes=0-1,5-6", "bytes=0-499, 500-999", "bytes=0-1,0-1", "bytes=-1,-2",
        "bytes=5000-,6000-", "bytes=0-1, 2-3, 4-5, 6-7"})
    void severalRangesAreServedWhole(String range) {
        assertThat(ByteRange.of(range, SIZE)).isEqualTo(new Full());
    }

    /** A value that is not a valid byte range set is ignored, as is another unit. */
    @ParameterizedTest
    @ValueSource(strings = {"", "bytes", "bytes=", "bytes=,", "bytes= , ", "bytes=-", "bytes=--1", "bytes=1",
        "bytes=a-b", "bytes=1-a", "bytes=a-1", "bytes=5-4", "bytes=1000-999", "bytes=+1-2", "bytes=1-+2",
        "bytes=-+1", "bytes=1--2", "bytes=1-2-3", "bytes=0x10-0x20", "bytes=1.0-2", "bytes=\u0661-2",
        "bytes= 1-2", "bytes=1-2 ", "bytes=1 -2", "bytes=1- 2", "bytes =1-2", "bytes\t=1-2", " bytes=1-2",
        "bytes:1-2", "byte=1-2", "bytesx=1-2", "items=1-2", "none", "bytes=1-2,x", "bytes=1-2,5-4",
        "bytes=99999999999999999999-99999999999999999998x", "bytes=1-2;q=1"})
    void whatIsNoByteRangeSetIsIgnored(String range) {
        assertThat(ByteRange.of(range, SIZE)).as(range).isEqualTo(new Full());
    }

    @Test
    void noHeaderIsTheWhole() {
        assertThat(ByteRange.of(null, SIZE)).isEqualTo(new Full());
    }
}
