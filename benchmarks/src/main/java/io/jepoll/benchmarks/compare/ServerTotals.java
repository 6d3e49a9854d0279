package io.jepoll.benchmarks.compare;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A jepoll server's counters over its whole life, from what it prints when it stops: the
 * {@code totals-kv:} line of newer jars, else the older {@code totals:} line, so that a baseline
 * jar built before the first gives figures too.
 *
 * @param counters by the names of the {@code totals-kv:} line ({@code syscalls}, {@code crossings}, {@code read}, ...)
 */
record ServerTotals(Map<String, Long> counters) {

    private static final String KEY_VALUE_PREFIX = "totals-kv: ";
    private static final Pattern KEY_VALUE = Pattern.compile("([a-z_]+)=(\\d+)");
    /** In "..., crossings 45, syscalls 123 (wait 10, read 50, ...)". */
    private static final Pattern OLD_COUNTER = Pattern.compile("\\b(syscalls|crossings) (\\d+)");

    ServerTotals {
        counters = Map.copyOf(counters);
    }

    /** From the server's output, its last totals; empty when it printed none (it was killed, say). */
    static Optional<ServerTotals> parse(String output) {
        List<String> lines = output.lines().toList();
        Optional<String> keyValues = last(lines, line -> line.startsWith(KEY_VALUE_PREFIX));
        if (keyValues.isPresent()) {
            return Optional.of(new ServerTotals(pairs(KEY_VALUE.matcher(keyValues.get()))));
        }
        return last(lines, line -> line.contains("totals: ")).map(line -> new ServerTotals(pairs(
                OLD_COUNTER.matcher(line.substring(line.indexOf("totals: "))))));
    }

    long syscalls() {
        return counters.getOrDefault("syscalls", 0L);
    }

    long crossings() {
        return counters.getOrDefault("crossings", 0L);
    }

    private static Map<String, Long> pairs(Matcher matcher) {
        Map<String, Long> pairs = new LinkedHashMap<>();
        while (matcher.find()) {
            pairs.put(matcher.group(1), Long.parseLong(matcher.group(2)));
        }
        return pairs;
    }

    private static Optional<String> last(List<String> lines, Predicate<String> wanted) {
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (wanted.test(lines.get(i))) {
                return Optional.of(lines.get(i));
            }
        }
        return Optional.empty();
    }
}
