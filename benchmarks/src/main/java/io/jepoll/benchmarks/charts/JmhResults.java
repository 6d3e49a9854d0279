package io.jepoll.benchmarks.charts;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Looks JMH results up by benchmark and parameters, checking each is what a chart assumes. */
final class JmhResults {

    private static final Pattern WHOLE_NUMBER = Pattern.compile("-?\\d{1,18}");

    private final List<JmhRow> rows;

    JmhResults(List<JmhRow> rows) {
        this.rows = List.copyOf(rows);
    }

    /**
     * Parameter values in the order a reader expects along an axis or in a legend: ascending when
     * they are all numbers (connection counts, sizes), otherwise as the file first lists them
     * (transports, in the order the benchmark declares them).
     */
    static List<String> ordered(Collection<String> valuesInFileOrder) {
        List<String> distinct = List.copyOf(new LinkedHashSet<>(valuesInFileOrder));
        if (!distinct.stream().allMatch(value -> WHOLE_NUMBER.matcher(value).matches())) {
            return distinct;
        }
        return distinct.stream().sorted((a, b) -> Long.compare(Long.parseLong(a), Long.parseLong(b))).toList();
    }

    /** The values {@code param} takes in {@code benchmark}'s rows, {@link #ordered}. */
    List<String> paramValues(String benchmark, String param) {
        return ordered(rows.stream().filter(row -> row.benchmark().equals(benchmark))
                .map(row -> row.params().get(param)).filter(value -> value != null).toList());
    }

    /**
     * {@code benchmark}'s scores in the rows whose parameters include {@code fixed}, laid out by
     * two other parameters.
     *
     * @throws ChartInputException if such a row is in another unit than the chart is labelled with
     *                             (JMH's {@code -tu} changes it), lacks one of the two parameters, or
     *                             shares its place with another row (a parameter the chart does not
     *                             show varies, so the two cannot both be drawn)
     */
    ScoreTable table(String benchmark, String unit, Map<String, String> fixed, String seriesParam,
                     String categoryParam) throws ChartInputException {
        Map<List<String>, Double> scores = new HashMap<>();
        Map<List<String>, Integer> lineOfPlace = new HashMap<>();
        Set<String> seriesValues = new LinkedHashSet<>();
        Set<String> categoryValues = new LinkedHashSet<>();
        for (JmhRow row : rows) {
            if (!row.benchmark().equals(benchmark) || !row.params().entrySet().containsAll(fixed.entrySet())) {
                continue;
            }
            checkUnit(row, unit);
            String seriesValue = param(row, seriesParam);
            String categoryValue = param(row, categoryParam);
            List<String> place = List.of(seriesValue, categoryValue);
            Integer earlier = lineOfPlace.putIfAbsent(place, row.source().line());
            if (earlier != null) {
                throw row.source().error(benchmark + " for " + seriesParam + "=" + seriesValue + " " + categoryParam
                        + "=" + categoryValue + " again (first on line " + earlier + "); the chart of it shows one");
            }
            scores.put(place, row.score());
            seriesValues.add(seriesValue);
            categoryValues.add(categoryValue);
        }
        return new ScoreTable(ordered(seriesValues), ordered(categoryValues), scores);
    }

    /** The primary scores of the benchmark methods of {@code benchmarkClass}, by method name, in file order. */
    Map<String, Double> methodScores(String benchmarkClass, String unit) throws ChartInputException {
        Map<String, Double> scores = new LinkedHashMap<>();
        String prefix = benchmarkClass + ".";
        for (JmhRow row : rows) {
            String method = row.benchmark().startsWith(prefix) ? row.benchmark().substring(prefix.length()) : "";
            // A ':' marks a secondary result; a '.' a method of a nested class, which is another benchmark.
            if (method.isEmpty() || method.contains(":") || method.contains(".")) {
                continue;
            }
            checkUnit(row, unit);
            if (scores.putIfAbsent(method, row.score()) != null) {
                throw row.source().error(row.benchmark() + " again, with parameters " + row.params()
                        + "; its chart shows one score per method");
            }
        }
        return scores;
    }

    private static void checkUnit(JmhRow row, String unit) throws ChartInputException {
        if (!row.unit().equals(unit)) {
            throw row.source().error(row.benchmark() + " is in " + row.unit() + ", but its chart is drawn in " + unit);
        }
    }

    private static String param(JmhRow row, String param) throws ChartInputException {
        String value = row.params().get(param);
        if (value == null) {
            throw row.source().error(row.benchmark() + " has no " + param + " parameter, which its chart is drawn by");
        }
        return value;
    }
}
