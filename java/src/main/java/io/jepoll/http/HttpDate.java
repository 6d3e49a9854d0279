package io.jepoll.http;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Month;
import java.time.Year;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * The {@code Date} header line, formatted at most once a second for the whole process; and
 * HTTP-dates read from requests ({@code If-Modified-Since}, {@code If-Range}).
 */
final class HttpDate {

    private record Line(long second, byte[] bytes) {
    }

    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US);

    private static final List<String> DAYS = List.of("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun");
    private static final List<String> LONG_DAYS =
            List.of("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday");
    private static final List<String> MONTHS =
            List.of("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec");

    private static final long LAST_SECOND_OF_9999 = 253_402_300_799L;

    private static volatile Line current = new Line(-1, new byte[0]);

    private HttpDate() {
    }

    /** {@code Date: Sun, 29 Nov 2026 19:55:00 GMT\r\n} for the current second. */
    static byte[] line() {
        long second = System.currentTimeMillis() / 1000;
        Line line = current;
        if (line.second != second) {
            String date = format(Instant.ofEpochSecond(second));
            line = new Line(second, ("Date: " + date + "\r\n").getBytes(StandardCharsets.US_ASCII));
            current = line;
        }
        return line.bytes;
    }

    /**
     * {@return the IMF-fixdate of a time, as {@code Last-Modified} has it: {@code Sun, 06 Nov 1994 08:49:37 GMT}}
     * A file's time can be any, and an HTTP-date has four digits for the year and {@link #parse}
     * takes none before 1970: a time before 1970 is given as 1970, one after 9999 as the end of 9999.
     */
    static String format(Instant time) {
        long seconds = Math.max(0, Math.min(LAST_SECOND_OF_9999, time.getEpochSecond()));
        return IMF_FIXDATE.format(Instant.ofEpochSecond(seconds).atZone(ZoneOffset.UTC));
    }

    /**
     * {@return the seconds since 1970 of an HTTP-date, or -1 where {@code text} is not one}
     * The three forms of RFC 9110 section 5.6.7 that a recipient must accept, case-sensitive as
     * it says: IMF-fixdate {@code Sun, 06 Nov 1994 08:49:37 GMT}, the obsolete RFC 850
     * {@code Sunday, 06-Nov-94 08:49:37 GMT} and asctime {@code Sun Nov  6 08:49:37 1994}. The day
     * name must be one but is not checked against the date, as most servers do not. A date before
     * 1970 is -1 too: no file served was modified then, and -1 stays unambiguous.
     */
    static long parse(String text) {
        return parse(text, System.currentTimeMillis() / 1000);
    }

    /** {@link #parse(String)}, with the current time that decides the century of an RFC 850 date. */
    static long parse(String text, long nowSeconds) {
        if (text == null) {
            return -1;
        }
        int comma = text.indexOf(',');
        if (comma == 3) {
            return imfFixdate(text);
        }
        if (comma > 3) {
            return rfc850(text, comma, nowSeconds);
        }
        return comma < 0 ? asctime(text) : -1;
    }

    private static long imfFixdate(String text) {
        if (text.length() != 29 || !DAYS.contains(text.substring(0, 3)) || text.charAt(4) != ' '
                || text.charAt(7) != ' ' || text.charAt(11) != ' ' || text.charAt(16) != ' '
                || !text.startsWith(" GMT", 25)) {
            return -1;
        }
        return epochSeconds(digits(text, 12, 4), MONTHS.indexOf(text.substring(8, 11)) + 1, digits(text, 5, 2),
                secondOfDay(text, 17));
    }

    /**
     * A two-digit year is the one of the century within 50 years of now, as section 5.6.7 has
     * it: one that would be more than 50 years ahead is in the past.
     */
    private static long rfc850(String text, int comma, long nowSeconds) {
        int at = comma + 1;
        if (text.length() != at + 23 || !LONG_DAYS.contains(text.substring(0, comma)) || text.charAt(at) != ' '
                || text.charAt(at + 3) != '-' || text.charAt(at + 7) != '-' || text.charAt(at + 10) != ' '
                || !text.startsWith(" GMT", at + 19)) {
            return -1;
        }
        int twoDigits = digits(text, at + 8, 2);
        if (twoDigits < 0) {
            return -1;
        }
        int thisYear = LocalDate.ofEpochDay(Math.floorDiv(nowSeconds, 86_400)).getYear();
        int year = thisYear - Math.floorMod(thisYear, 100) + twoDigits;
        if (year > thisYear + 50) {
            year -= 100;
        } else if (year <= thisYear - 50) {
            year += 100;
        }
        return epochSeconds(year, MONTHS.indexOf(text.substring(at + 4, at + 7)) + 1, digits(text, at + 1, 2),
                secondOfDay(text, at + 11));
    }

    private static long asctime(String text) {
        if (text.length() != 24 || !DAYS.contains(text.substring(0, 3)) || text.charAt(3) != ' '
                || text.charAt(7) != ' ' || text.charAt(10) != ' ' || text.charAt(19) != ' ') {
            return -1;
        }
        int day = text.charAt(8) == ' ' ? digits(text, 9, 1) : digits(text, 8, 2);
        return epochSeconds(digits(text, 20, 4), MONTHS.indexOf(text.substring(4, 7)) + 1, day,
                secondOfDay(text, 11));
    }

    /** {@code HH:MM:SS}, its second up to 60 for a leap second (which runs into the next minute). */
    private static int secondOfDay(String text, int at) {
        if (text.charAt(at + 2) != ':' || text.charAt(at + 5) != ':') {
            return -1;
        }
        int hour = digits(text, at, 2);
        int minute = digits(text, at + 3, 2);
        int second = digits(text, at + 6, 2);
        if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) {
            return -1;
        }
        return hour * 3600 + minute * 60 + second;
    }

    private static long epochSeconds(int year, int month, int day, int secondOfDay) {
        if (year < 1970 || month < 1 || day < 1 || secondOfDay < 0
                || day > Month.of(month).length(Year.isLeap(year))) {
            return -1;
        }
        return LocalDate.of(year, month, day).toEpochDay() * 86_400 + secondOfDay;
    }

    /** The value of {@code count} ASCII digits at {@code at}, or -1. */
    private static int digits(String text, int at, int count) {
        int value = 0;
        for (int i = at; i < at + count; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + c - '0';
        }
        return value;
    }
}
