package io.jepoll.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** HTTP-dates as requests carry them: the three forms RFC 9110 section 5.6.7 names, and what is none. */
class HttpDateTest {

    /** Sun, 06 Nov 1994 08:49:37 GMT, the RFC's example. */
    private static final long EXAMPLE = 784_111_777L;
    private static final long NOW = ZonedDateTime.of(2026, 12, 7, 12, 0, 0, 0, ZoneOffset.UTC).toEpochSecond();

    @Test
    void readsTheThreeFormsOfTheSameInstant() {
        assertThat(HttpDate.parse("Sun, 06 Nov 1994 08:49:37 GMT", NOW)).isEqualTo(EXAMPLE);
        assertThat(HttpDate.parse("Sunday, 06-Nov-94 08:49:37 GMT", NOW)).isEqualTo(EXAMPLE);
        assertThat(HttpDate.parse("Sun Nov  6 08:49:37 1994", NOW)).isEqualTo(EXAMPLE);
        assertThat(HttpDate.parse("Sun Nov 06 08:49:37 1994", NOW)).isEqualTo(EXAMPLE);
        assertThat(HttpDate.parse("Sun, 06 Nov 1994 08:49:37 GMT")).isEqualTo(EXAMPLE);
    }

    @Test
    void takesAnyDayNameWithoutCheckingItAgainstTheDate() {
        assertThat(HttpDate.parse("Mon, 06 Nov 1994 08:49:37 GMT", NOW)).isEqualTo(EXAMPLE);
    }

    @Test
    void aTwoDigitYearIsTheOneWithinFiftyYearsOfNow() {
        assertThat(year(HttpDate.parse("Thursday, 01-Jan-76 00:00:00 GMT", NOW))).isEqualTo(2076);
        assertThat(year(HttpDate.parse("Friday, 01-Jan-77 00:00:00 GMT", NOW))).isEqualTo(1977);
        assertThat(year(HttpDate.parse("Monday, 01-Jan-00 00:00:00 GMT", NOW))).isEqualTo(2000);
        long late = ZonedDateTime.of(2099, 6, 1, 0, 0, 0, 0, ZoneOffset.UTC).toEpochSecond();
        assertThat(year(HttpDate.parse("Monday, 01-Jan-01 00:00:00 GMT", late))).isEqualTo(2101);
        assertThat(year(HttpDate.parse("Monday, 01-Jan-50 00:00:00 GMT", late))).isEqualTo(2050);
    }

    @Test
    void checksTheCalendar() {
        assertThat(HttpDate.parse("Thu, 29 Feb 2024 00:00:00 GMT", NOW)).isEqualTo(
                ZonedDateTime.of(2024, 2, 29, 0, 0, 0, 0, ZoneOffset.UTC).toEpochSecond());
        assertThat(HttpDate.parse("Wed, 29 Feb 2023 00:00:00 GMT", NOW)).isEqualTo(-1);
        assertThat(HttpDate.parse("Mon, 31 Apr 2023 00:00:00 GMT", NOW)).isEqualTo(-1);
        assertThat(HttpDate.parse("Sun, 00 Nov 1994 08:49:37 GMT", NOW)).isEqualTo(-1);
        assertThat(HttpDate.parse("Thu, 01 Jan 1970 00:00:00 GMT", NOW)).isZero();
        assertThat(HttpDate.parse("Fri, 31 Dec 9999 23:59:59 GMT", NOW)).isEqualTo(253_402_300_799L);
    }

    @Test
    void aLeapSecondRunsIntoTheNextMinute() {
        assertThat(HttpDate.parse("Sat, 31 Dec 2016 23:59:60 GMT", NOW))
                .isEqualTo(HttpDate.parse("Sun, 01 Jan 2017 00:00:00 GMT", NOW));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "GMT", "0", "784111777", "Sun, 06 Nov 1994 08:49:37 UTC",
        "Sun, 06 Nov 1994 08:49:37 gmt", "sun, 06 Nov 1994 08:49:37 GMT", "Sun, 06 nov 1994 08:49:37 GMT",
        "Sun,  6 Nov 1994 08:49:37 GMT", "Sun, 6 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 94 08:49:37 GMT",
        "Sun, 06 Nov 1994 08:49:37 GMT ", " Sun, 06 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 1994 08:49 GMT",
        "Sun, 06 Nov 1994 24:00:00 GMT", "Sun, 06 Nov 1994 08:60:00 GMT", "Sun, 06 Nov 1994 08:49:61 GMT",
        "Sun, 06 Nov 1994 08.49.37 GMT", "Sun, 06 Nov 1994 08:49:37 +0000", "Sun, 06 Nov 19a4 08:49:37 GMT",
        "Sun, 06 Nov -994 08:49:37 GMT", "Sun, +6 Nov 1994 08:49:37 GMT", "Sun, \u0660\u0666 Nov 1994 08:49:37 GMT",
        "Son, 06 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 1969 08:49:37 GMT", "Wed, 31 Dec 1969 23:59:59 GMT",
        "Sun, 06-Nov-94 08:49:37 GMT", "Sunday, 06 Nov 1994 08:49:37 GMT", "Sun, 06-Nov-1994 08:49:37 GMT",
        "Sunday, 06-Nov-1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 UTC", "Sundae, 06-Nov-94 08:49:37 GMT",
        "Sunday, 6-Nov-94 08:49:37 GMT", "Sunday, 06-Nov-9x 08:49:37 GMT", "Sunday,06-Nov-94 08:49:37 GMT",
        "Sun Nov 6 08:49:37 1994", "Sun Nov  6 08:49:37 94", "Sun Nov  6 08:49:37 1994 GMT",
        "Sun Nov 6  08:49:37 1994", "Sun Nov  x 08:49:37 1994", "Sun Nov  6 08:49:37 1969",
        "Sun  Nov 6 08:49:37 1994", "2026-12-07T12:00:00Z", ",,,,,,,,,,,,,,,,,,,,,,,,,,,,,"})
    void whatIsNoHttpDateIsMinusOne(String text) {
        assertThat(HttpDate.parse(text, NOW)).as(text).isEqualTo(-1);
    }

    @Test
    void nullIsNoDate() {
        assertThat(HttpDate.parse(null)).isEqualTo(-1);
    }

    @Test
    void readsWhatItFormats() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 10_000; i++) {
            long second = random.nextLong(0, 253_402_300_800L);
            assertThat(HttpDate.parse(HttpDate.format(Instant.ofEpochSecond(second, 999_999_999)), NOW))
                    .isEqualTo(second);
        }
    }

    @Test
    void formatsTimesNoHttpDateHoldsAsTheNearestOne() {
        assertThat(HttpDate.format(Instant.ofEpochSecond(EXAMPLE))).isEqualTo("Sun, 06 Nov 1994 08:49:37 GMT");
        assertThat(HttpDate.format(Instant.ofEpochSecond(-5))).isEqualTo("Thu, 01 Jan 1970 00:00:00 GMT");
        assertThat(HttpDate.format(Instant.MIN)).isEqualTo("Thu, 01 Jan 1970 00:00:00 GMT");
        assertThat(HttpDate.format(Instant.MAX)).isEqualTo("Fri, 31 Dec 9999 23:59:59 GMT");
    }

    @Test
    void theDateLineIsTheCurrentSecond() {
        String line = new String(HttpDate.line(), StandardCharsets.US_ASCII);
        long parsed = HttpDate.parse(line.substring("Date: ".length(), line.length() - 2));
        assertThat(parsed).isCloseTo(System.currentTimeMillis() / 1000, within(2L));
    }

    private static int year(long epochSeconds) {
        return Instant.ofEpochSecond(epochSeconds).atZone(ZoneOffset.UTC).getYear();
    }
}
