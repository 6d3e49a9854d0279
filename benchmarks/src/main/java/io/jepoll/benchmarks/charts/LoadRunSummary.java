package io.jepoll.benchmarks.charts;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The load-run rounds grouped by benchmark, mode and server, each group summed up as the median
 * over its rounds. Servers and modes keep the order in which the file first names them: the
 * script runs them in a deliberate order, and the charts follow it.
 */
final class LoadRunSummary {

    private final List<LoadRun> runs;

    LoadRunSummary(List<LoadRun> runs) {
        this.runs = List.copyOf(runs);
    }

    List<String> servers(String benchmark) {
        return distinct(benchmark, LoadRun::server);
    }

    List<String> modes(String benchmark) {
        return distinct(benchmark, LoadRun::mode);
    }

    /** The connection counts the benchmark ran with, in file order, leaving out empty ones. */
    List<String> connections(String benchmark) {
        List<String> counts = new ArrayList<>(distinct(benchmark, LoadRun::connections));
        counts.remove("");
        return counts;
    }

    /** The median of {@code metric} over the group's rounds that have it; empty when none has. */
    OptionalDouble median(String benchmark, String mode, String server, Function<LoadRun, OptionalDouble> metric) {
        List<Double> values = new ArrayList<>();
        for (LoadRun run : runs) {
            if (run.benchmark().equals(benchmark) && run.mode().equals(mode) && run.server().equals(server)) {
                metric.apply(run).ifPresent(values::add);
            }
        }
        return values.isEmpty() ? OptionalDouble.empty() : OptionalDouble.of(Median.of(values));
    }

    /** How many rounds the benchmark's groups have: one number when every server ran as often. */
    SortedSet<Long> roundCounts(String benchmark) {
        return runs.stream().filter(run -> run.benchmark().equals(benchmark))
                .collect(Collectors.groupingBy(run -> List.of(run.mode(), run.server()), Collectors.counting()))
                .values().stream().collect(Collectors.toCollection(TreeSet::new));
    }

    private List<String> distinct(String benchmark, Function<LoadRun, String> column) {
        return runs.stream().filter(run -> run.benchmark().equals(benchmark)).map(column).distinct().toList();
    }
}
