package io.jepoll.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Entity tags, and the conditional requests of RFC 9110 section 13 that a static file answers. */
class ValidatorsTest {

    private static final Instant MODIFIED = Instant.ofEpochSecond(784_111_777L, 123_456_789);
    private static final String MODIFIED_DATE = "Sun, 06 Nov 1994 08:49:37 GMT";
    private static final String ETAG = Validators.etag(1000, MODIFIED);

    @Test
    void anEntityTagIsTheSizeAndTheTimeInHex() {
        assertThat(ETAG).isEqualTo("\"3e8-2ebc98a1075bcd15\"");
        assertThat(Validators.etag(0, Instant.EPOCH)).isEqualTo("\"0-000000000\"");
    }

    @Test
    void anEntityTagChangesWithTheSizeAndEveryPartOfTheTime() {
        assertThat(List.of(ETAG, Validators.etag(1001, MODIFIED), Validators.etag(1000, MODIFIED.plusNanos(1)),
                Validators.etag(1000, MODIFIED.plusSeconds(1)), Validators.etag(1000, Instant.ofEpochSecond(-1)),
                Validators.etag(1000, Instant.MAX), Validators.etag(1000, Instant.MIN)))
                .doesNotHaveDuplicates()
                .allSatisfy(tag -> assertThat(tag).matches("\"[0-9a-f]+-[0-9a-f]+\""));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"3e8-2ebc98a1075bcd15\"", "W/\"3e8-2ebc98a1075bcd15\"", "*",
        "\"other\", \"3e8-2ebc98a1075bcd15\"", "\"other\",W/\"3e8-2ebc98a1075bcd15\"",
        " , \"other\" ,\t\"3e8-2ebc98a1075bcd15\" , ", "\"3e8-2ebc98a1075bcd15\", malformed"})
    void ifNoneMatchMatchingWeaklyIsNotModified(String ifNoneMatch) {
        assertThat(Validators.notModified(List.of(ifNoneMatch), List.of(), ETAG, MODIFIED)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"other\"", "\"3e8-2ebc98a1075bcd16\"", "\"3E8-2EBC7AA1075BCD15\"",
        "3e8-2ebc98a1075bcd15", "\"3e8-2ebc98a1075bcd15", "w/\"3e8-2ebc98a1075bcd15\"",
        "\"\"3e8-2ebc98a1075bcd15\"", "\"3e8-2ebc98a1075bcd15\"x", "\"3e8-2ebc98a1075bcd15\" x", "**", "*x",
        "\"3e8-2ebc98a1075bcd15 \"", "malformed, \"3e8-2ebc98a1075bcd15\"", "", ",", "W/", "W/*"})
    void ifNoneMatchMatchingNothingIsModified(String ifNoneMatch) {
        assertThat(Validators.notModified(List.of(ifNoneMatch), List.of(), ETAG, MODIFIED)).as(ifNoneMatch).isFalse();
    }

    @Test
    void ifNoneMatchOnSeveralLinesIsOneList() {
        assertThat(Validators.notModified(List.of("\"a\"", "\"b\", " + ETAG), List.of(), ETAG, MODIFIED)).isTrue();
        assertThat(Validators.notModified(List.of("\"a\"", "\"b\""), List.of(), ETAG, MODIFIED)).isFalse();
    }

    @Test
    void ifNoneMatchDecidesAloneWhenPresent() {
        assertThat(Validators.notModified(List.of("\"other\""), List.of(MODIFIED_DATE), ETAG, MODIFIED)).isFalse();
        assertThat(Validators.notModified(List.of("malformed"), List.of(MODIFIED_DATE), ETAG, MODIFIED)).isFalse();
    }

    @Test
    void ifModifiedSinceComparesWholeSeconds() {
        assertThat(notModifiedSince(MODIFIED_DATE)).isTrue();
        assertThat(notModifiedSince("Sun, 06 Nov 1994 08:49:38 GMT")).isTrue();
        assertThat(notModifiedSince("Sunday, 06-Nov-94 08:49:37 GMT")).isTrue();
        assertThat(notModifiedSince("Sun Nov  6 08:49:37 1994")).isTrue();
        assertThat(notModifiedSince("Sun, 06 Nov 1994 08:49:36 GMT")).isFalse();
        assertThat(notModifiedSince("Thu, 01 Jan 1970 00:00:00 GMT")).isFalse();
    }

    @Test
    void ifModifiedSinceIsIgnoredUnlessOneValidDate() {
        assertThat(notModifiedSince("yesterday")).isFalse();
        assertThat(notModifiedSince("Sun, 06 Nov 1994 08:49:37 GMT, Sun, 06 Nov 1994 08:49:37 GMT")).isFalse();
        assertThat(Validators.notModified(List.of(), List.of(MODIFIED_DATE, MODIFIED_DATE), ETAG, MODIFIED)).isFalse();
        assertThat(Validators.notModified(List.of(), List.of(), ETAG, MODIFIED)).isFalse();
    }

    @Test
    void ifRangeHoldsForTheSameEntityTagOrExactlyTheModificationDate() {
        assertThat(Validators.rangeApplies(null, ETAG, MODIFIED)).isTrue();
        assertThat(Validators.rangeApplies(ETAG, ETAG, MODIFIED)).isTrue();
        assertThat(Validators.rangeApplies(MODIFIED_DATE, ETAG, MODIFIED)).isTrue();
        assertThat(Validators.rangeApplies("Sunday, 06-Nov-94 08:49:37 GMT", ETAG, MODIFIED)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"W/\"3e8-2ebc98a1075bcd15\"", "\"other\"", "\"3e8-2ebc98a1075bcd15\", \"other\"",
        "*", "Sun, 06 Nov 1994 08:49:38 GMT", "Sun, 06 Nov 1994 08:49:36 GMT", "garbage", ""})
    void ifRangeOtherwiseSendsTheWhole(String ifRange) {
        assertThat(Validators.rangeApplies(ifRange, ETAG, MODIFIED)).as(ifRange).isFalse();
    }

    private static boolean notModifiedSince(String date) {
        return Validators.notModified(List.of(), List.of(date), ETAG, MODIFIED);
    }
}
