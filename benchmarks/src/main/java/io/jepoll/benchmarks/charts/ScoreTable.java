package io.jepoll.benchmarks.charts;

import io.jepoll.benchmarks.charts.ChartSpec.Series;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.Function;

/**
 * JMH scores laid out for a chart: one value per series value and category value of two of the
 * benchmark's parameters, e.g. per transport and connection count.
 *
 * @param scores keyed by {@code List.of(seriesValue, categoryValue)}
 */
record ScoreTable(List<String> seriesValues, List<String> categoryValues, Map<List<String>, Double> scores) {

    OptionalDouble score(String seriesValue, String categoryValue) {
        Double score = scores.get(List.of(seriesValue, categoryValue));
        return score == null ? OptionalDouble.empty() : OptionalDouble.of(score);
    }

    /** The chart series, one per series value, named by {@code name}, along {@code categories}. */
    List<Series> series(Function<String, String> name, List<String> categories) {
        return seriesValues.stream()
                .map(value -> Series.of(name.apply(value), categories, category -> score(value, category)))
                .toList();
    }
}
