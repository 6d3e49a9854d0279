package io.jepoll.benchmarks.compare;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one wrk run ({@code --latency}) printed.
 *
 * @param requestsPerSecond as wrk prints it; empty when wrk failed (it printed no rate)
 * @param socketErrors connect, read, write and timeout errors, in that order; all 0 when wrk reported none
 * @param detail what the errors were, empty when none: " socket errors: connect 0 read 3 write 0 timeout 1;"
 *     and " non-2xx responses: 7;", as compare.sh has always written them
 * @param p50Micros the median of its latency distribution, in microseconds; empty without {@code --latency}
 * @param p99Micros its 99th percentile
 */
record WrkOutput(long requests, Optional<String> requestsPerSecond, long errors, List<Long> socketErrors, String detail,
        OptionalDouble p50Micros, OptionalDouble p99Micros, String text) {

    private static final Pattern REQUESTS = Pattern.compile("(?m)^\\s*(\\d+) requests in ");
    private static final Pattern RATE = Pattern.compile("(?m)^Requests/sec:\\s+(\\S+)");
    private static final Pattern SOCKET_ERRORS = Pattern.compile(
            "(?m)^\\s*Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");
    private static final Pattern NON_2XX = Pattern.compile("(?m)^\\s*Non-2xx or 3xx responses: (\\d+)");
    /** A line of "Latency Distribution": "     99%    1.20ms". */
    private static final String PERCENTILE = "(?m)^\\s+%s%%\\s+([0-9.]+)(us|ms|s|m|h)\\s*$";

    WrkOutput {
        socketErrors = List.copyOf(socketErrors);
    }

    static WrkOutput parse(String text) {
        Matcher requests = REQUESTS.matcher(text);
        Matcher rate = RATE.matcher(text);
        long errors = 0;
        List<Long> socketErrors = List.of(0L, 0L, 0L, 0L);
        StringBuilder detail = new StringBuilder();
        Matcher socket = SOCKET_ERRORS.matcher(text);
        if (socket.find()) {
            socketErrors = List.of(Long.parseLong(socket.group(1)), Long.parseLong(socket.group(2)),
                    Long.parseLong(socket.group(3)), Long.parseLong(socket.group(4)));
            errors += socketErrors.stream().mapToLong(Long::longValue).sum();
            detail.append(" socket errors: connect ").append(socket.group(1)).append(" read ").append(socket.group(2))
                    .append(" write ").append(socket.group(3)).append(" timeout ").append(socket.group(4)).append(';');
        }
        Matcher non2xx = NON_2XX.matcher(text);
        if (non2xx.find()) {
            errors += Long.parseLong(non2xx.group(1));
            detail.append(" non-2xx responses: ").append(non2xx.group(1)).append(';');
        }
        return new WrkOutput(requests.find() ? Long.parseLong(requests.group(1)) : 0,
                rate.find() ? Optional.of(rate.group(1)) : Optional.empty(), errors, socketErrors, detail.toString(),
                percentileMicros(text, "50"), percentileMicros(text, "99"), text);
    }

    private static OptionalDouble percentileMicros(String text, String percent) {
        Matcher line = Pattern.compile(String.format(Locale.ROOT, PERCENTILE, percent)).matcher(text);
        if (!line.find()) {
            return OptionalDouble.empty();
        }
        double micros = switch (line.group(2)) {
            case "us" -> 1;
            case "ms" -> 1e3;
            case "s" -> 1e6;
            case "m" -> 60e6;
            default -> 3600e6;
        };
        return OptionalDouble.of(Double.parseDouble(line.group(1)) * micros);
    }

    boolean failed() {
        return requestsPerSecond.isEmpty();
    }

    /** The CSV's errors field: a count, or {@code wrk-failed}. */
    String errorsField() {
        return failed() ? "wrk-failed" : Long.toString(errors);
    }

    /** The CSV's latency fields, in microseconds with one decimal; empty for a failed run. */
    RunRow.Latency latency() {
        return new RunRow.Latency(micros(p50Micros), micros(p99Micros));
    }

    /** The CSV's wrk fields: its timeout, and its socket errors by kind (empty for a failed run). */
    RunRow.WrkErrors wrkErrors(int timeoutSeconds) {
        if (failed()) {
            return new RunRow.WrkErrors(Integer.toString(timeoutSeconds), "", "", "", "");
        }
        return new RunRow.WrkErrors(Integer.toString(timeoutSeconds), socketErrors.get(0).toString(),
                socketErrors.get(1).toString(), socketErrors.get(2).toString(), socketErrors.get(3).toString());
    }

    /** The CSV's detail of what went wrong; for a failed run, wrk's last two lines. */
    String errorDetail() {
        if (failed()) {
            List<String> lines = text.lines().toList();
            return "wrk failed: " + String.join(" ", lines.subList(Math.max(0, lines.size() - 2), lines.size()));
        }
        return detail;
    }

    private static String micros(OptionalDouble value) {
        return value.isPresent() ? String.format(Locale.ROOT, "%.1f", value.getAsDouble()) : "";
    }
}
