package io.jepoll.benchmarks.charts;

import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * What one chart shows, before any drawing: values by category along the x axis, one list per
 * series. Series without any value, and categories no series has a value for, are left out, so
 * that a chart of partial data has no empty legend entries or gaps; a chart left with no series
 * has no data and is skipped.
 *
 * @param dataWanted what the chart is drawn from, for the line that says it was skipped
 */
record ChartSpec(String fileName, String title, String xAxisTitle, String yAxisTitle, Style style,
                 String dataWanted, List<String> categories, List<Series> series) {

    enum Style {
        /** Grouped bars with their values written on them. */
        BARS,
        /** Lines on a logarithmic y axis, for values spanning several orders of magnitude. */
        LOG_LINES
    }

    /** One series' values in the order of the chart's categories; null where it has none, which XChart leaves blank. */
    record Series(String name, List<Double> values) {

        static Series of(String name, List<String> categories, Function<String, OptionalDouble> valueOf) {
            return new Series(name, categories.stream().map(valueOf)
                    .map(value -> value.isPresent() ? value.getAsDouble() : null).toList());
        }
    }

    ChartSpec {
        List<Series> withValues = series.stream().filter(s -> s.values().stream().anyMatch(Objects::nonNull)).toList();
        List<Integer> shown = IntStream.range(0, categories.size())
                .filter(index -> withValues.stream().anyMatch(s -> s.values().get(index) != null)).boxed().toList();
        categories = shown.stream().map(categories::get).toList();
        series = withValues.stream()
                .map(s -> new Series(s.name(), shown.stream().map(s.values()::get).toList())).toList();
    }

    boolean hasData() {
        return !series.isEmpty();
    }
}
