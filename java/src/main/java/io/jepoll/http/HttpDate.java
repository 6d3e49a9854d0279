package io.jepoll.http;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** The {@code Date} header line, formatted at most once a second for the whole process. */
final class HttpDate {

    private record Line(long second, byte[] bytes) {
    }

    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US);

    private static volatile Line current = new Line(-1, new byte[0]);

    private HttpDate() {
    }

    /** {@code Date: Sun, 29 Nov 2026 19:55:00 GMT\r\n} for the current second. */
    static byte[] line() {
        long second = System.currentTimeMillis() / 1000;
        Line line = current;
        if (line.second != second) {
            String date = IMF_FIXDATE.format(Instant.ofEpochSecond(second).atZone(ZoneOffset.UTC));
            line = new Line(second, ("Date: " + date + "\r\n").getBytes(StandardCharsets.US_ASCII));
            current = line;
        }
        return line.bytes;
    }
}
