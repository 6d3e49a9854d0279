package io.jepoll.benchmarks.compare;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one wrk run printed.
 *
 * @param requestsPerSecond as wrk prints it; empty when wrk failed (it printed no rate)
 * @param detail what the errors were, empty when none: " socket errors: connect 0 read 3 write 0 timeout 1;"
 *     and " non-2xx responses: 7;", as compare.sh has always written them
 */
record WrkOutput(long requests, Optional<String> requestsPerSecond, long errors, String detail, String text) {

    private static final Pattern REQUESTS = Pattern.compile("(?m)^\\s*(\\d+) requests in ");
    private static final Pattern RATE = Pattern.compile("(?m)^Requests/sec:\\s+(\\S+)");
    private static final Pattern SOCKET_ERRORS = Pattern.compile(
            "(?m)^\\s*Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");
    private static final Pattern NON_2XX = Pattern.compile("(?m)^\\s*Non-2xx or 3xx responses: (\\d+)");

    static WrkOutput parse(String text) {
        Matcher requests = REQUESTS.matcher(text);
        Matcher rate = RATE.matcher(text);
        long errors = 0;
        StringBuilder detail = new StringBuilder();
        Matcher socket = SOCKET_ERRORS.matcher(text);
        if (socket.find()) {
            for (int group = 1; group <= 4; group++) {
                errors += Long.parseLong(socket.group(group));
            }
            detail.append(" socket errors: connect ").append(socket.group(1)).append(" read ").append(socket.group(2))
                    .append(" write ").append(socket.group(3)).append(" timeout ").append(socket.group(4)).append(';');
        }
        Matcher non2xx = NON_2XX.matcher(text);
        if (non2xx.find()) {
            errors += Long.parseLong(non2xx.group(1));
            detail.append(" non-2xx responses: ").append(non2xx.group(1)).append(';');
        }
        return new WrkOutput(requests.find() ? Long.parseLong(requests.group(1)) : 0,
                rate.find() ? Optional.of(rate.group(1)) : Optional.empty(), errors, detail.toString(), text);
    }

    boolean failed() {
        return requestsPerSecond.isEmpty();
    }

    /** The CSV's errors field: a count, or {@code wrk-failed}. */
    String errorsField() {
        return failed() ? "wrk-failed" : Long.toString(errors);
    }

    /** The CSV's detail of what went wrong; for a failed run, wrk's last two lines. */
    String errorDetail() {
        if (failed()) {
            List<String> lines = text.lines().toList();
            return "wrk failed: " + String.join(" ", lines.subList(Math.max(0, lines.size() - 2), lines.size()));
        }
        return detail;
    }
}
