package io.jepoll.benchmarks.charts;

import io.jepoll.benchmarks.charts.ChartSpec.Series;
import io.jepoll.benchmarks.charts.ChartSpec.Style;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.SortedSet;
import java.util.function.Function;

/**
 * The charts of the side-by-side load run: servers along the x axis, one series per load mode,
 * each bar the median over the rounds. XChart's error bars are symmetric (one value plus or
 * minus another), so a min–max range around a median cannot be drawn honestly; the titles say
 * "median of N rounds" instead.
 */
final class LoadRunCharts {

    /** How the legend names the load script's modes. */
    private static final Map<String, String> MODE_NAMES = Map.of(
            "plain", "plain (one request at a time)",
            "pipeline16", "16-deep pipelined",
            "ping64", "64-byte ping-pong");
    private static final Column REQUESTS_PER_SECOND = new Column("requests_per_second", LoadRun::requestsPerSecond);
    private static final Column CPU_US_PER_REQUEST = new Column("cpu_us_per_request", LoadRun::cpuMicrosPerRequest);

    /** A column of the load run's CSV, named for the line that says a chart was skipped. */
    private record Column(String name, Function<LoadRun, OptionalDouble> value) {
    }

    private LoadRunCharts() {
    }

    static List<ChartSpec> specs(LoadRunSummary summary) {
        return List.of(
                byServer(summary, "http", "http-throughput.png", "HTTP throughput (higher is better)",
                        "requests per second", REQUESTS_PER_SECOND),
                byServer(summary, "http", "http-cpu-per-request.png", "HTTP server CPU per request (lower is better)",
                        "server CPU time per request (µs)", CPU_US_PER_REQUEST),
                byServer(summary, "echo", "echo-throughput.png", "Echo throughput (higher is better)",
                        "round trips per second", REQUESTS_PER_SECOND),
                byServer(summary, "echo", "echo-cpu-per-round-trip.png", "Echo server CPU per round trip (lower is better)",
                        "server CPU time per round trip (µs)", CPU_US_PER_REQUEST));
    }

    private static ChartSpec byServer(LoadRunSummary summary, String benchmark, String fileName, String title,
                                      String yAxisTitle, Column column) {
        List<String> servers = summary.servers(benchmark);
        List<Series> series = summary.modes(benchmark).stream()
                .map(mode -> Series.of(MODE_NAMES.getOrDefault(mode, mode), servers,
                        server -> summary.median(benchmark, mode, server, column.value())))
                .toList();
        return new ChartSpec(fileName, title + " — " + conditions(summary, benchmark), "server", yAxisTitle,
                Style.BARS, benchmark + " rows with a " + column.name(), servers, series);
    }

    /** "64 connections, median of 3 rounds": what a reader needs to compare this chart with another. */
    private static String conditions(LoadRunSummary summary, String benchmark) {
        List<String> connections = summary.connections(benchmark);
        String connectionsPart = connections.isEmpty() ? "" : String.join("/", connections) + " connections, ";
        SortedSet<Long> rounds = summary.roundCounts(benchmark);
        if (rounds.isEmpty()) {
            return connectionsPart + "median of the rounds";
        }
        String count = rounds.size() == 1 ? rounds.first().toString() : rounds.first() + "–" + rounds.last();
        return connectionsPart + "median of " + count + (rounds.last() == 1 ? " round" : " rounds");
    }
}
