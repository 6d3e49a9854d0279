package io.jepoll.benchmarks.charts;

import io.jepoll.benchmarks.charts.ChartSpec.Series;
import io.jepoll.benchmarks.charts.ChartSpec.Style;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * The charts of the JMH benchmarks in this module. Each names the unit its benchmark reports in,
 * and the lookup refuses rows in another one, so a run with {@code -tu} cannot be mislabelled.
 */
final class JmhCharts {

    private static final String PACKAGE = "io.jepoll.benchmarks.";
    private static final String ECHO = PACKAGE + "EchoBenchmark.echo";
    private static final String HTTP = PACKAGE + "HttpBenchmark.get";
    private static final String EPOLL_MODE = PACKAGE + "EpollModeBenchmark";
    private static final String CROSSING = PACKAGE + "CrossingBenchmark";
    /** The message sizes EchoBenchmark declares: each gets a chart, or a line saying it was skipped. */
    private static final List<String> DECLARED_ECHO_SIZES = List.of("64", "16384");
    private static final String SMALL_MESSAGE = "64";

    private JmhCharts() {
    }

    static List<ChartSpec> specs(JmhResults results) throws ChartInputException {
        List<ChartSpec> specs = new ArrayList<>();
        List<String> sizes = JmhResults.ordered(Stream.concat(DECLARED_ECHO_SIZES.stream(),
                results.paramValues(ECHO + ":roundTrips", "size").stream()).toList());
        for (String size : sizes) {
            specs.add(echoRoundTrips(results, size));
        }
        specs.add(echoSyscalls(results));
        specs.add(http(results));
        specs.add(epollMode(results));
        specs.add(crossing(results));
        return specs;
    }

    private static ChartSpec echoRoundTrips(JmhResults results, String size) throws ChartInputException {
        ScoreTable table = results.table(ECHO + ":roundTrips", "ops/s", Map.of("size", size), "transport", "connections");
        return new ChartSpec("jmh-echo-round-trips-" + sizeTag(size) + ".png",
                "Echo round trips by connections, " + sizeWords(size) + " messages (JMH; higher is better)",
                "connections", "round trips per second", Style.BARS,
                "EchoBenchmark.echo:roundTrips results with size=" + size,
                table.categoryValues(), table.series(transport -> transport, table.categoryValues()));
    }

    private static ChartSpec echoSyscalls(JmhResults results) throws ChartInputException {
        ScoreTable table = results.table(ECHO + ":syscallsPerOp", "#", Map.of("size", SMALL_MESSAGE), "transport",
                "connections");
        return new ChartSpec("jmh-echo-syscalls.png",
                "Echo server system calls per round trip, " + sizeWords(SMALL_MESSAGE)
                        + " messages (JMH; lower is better)",
                "connections", "server system calls per round trip", Style.BARS,
                "EchoBenchmark.echo:syscallsPerOp results with size=" + SMALL_MESSAGE,
                table.categoryValues(), table.series(transport -> transport, table.categoryValues()));
    }

    private static ChartSpec http(JmhResults results) throws ChartInputException {
        ScoreTable table = results.table(HTTP + ":roundTrips", "ops/s", Map.of(), "pipeline", "transport");
        List<String> connections = results.paramValues(HTTP + ":roundTrips", "connections");
        return new ChartSpec("jmh-http.png",
                "HTTP GET requests per second by transport" + connectionsNote(connections)
                        + " (JMH; higher is better)",
                "transport", "requests per second", Style.BARS, "HttpBenchmark.get:roundTrips results",
                table.categoryValues(), table.series(depth -> "pipeline " + depth, table.categoryValues()));
    }

    /** Both benchmark methods on one chart, LT and ET of each, because the point is how they compare. */
    private static ChartSpec epollMode(JmhResults results) throws ChartInputException {
        List<ScoreTable> tables = new ArrayList<>();
        List<String> methods = List.of("readCycle", "waitWithUnreadData");
        List<String> fds = new ArrayList<>();
        for (String method : methods) {
            ScoreTable table = results.table(EPOLL_MODE + "." + method, "us/op", Map.of(), "mode", "fds");
            if (table.scores().values().stream().anyMatch(score -> score <= 0)) {
                throw new ChartInputException("jmh-epoll-mode.png: a " + method
                        + " score is 0 or less, which its logarithmic axis cannot show");
            }
            tables.add(table);
            fds.addAll(table.categoryValues());
        }
        List<String> categories = JmhResults.ordered(fds);
        List<Series> series = new ArrayList<>();
        for (int i = 0; i < methods.size(); i++) {
            String method = methods.get(i);
            series.addAll(tables.get(i).series(mode -> method + " " + mode, categories));
        }
        return new ChartSpec("jmh-epoll-mode.png",
                "epoll level- vs edge-triggered at the shim: time per operation by registered fds (JMH)",
                "registered file descriptors", "µs per operation (log scale)", Style.LOG_LINES,
                "EpollModeBenchmark.readCycle or .waitWithUnreadData results", categories, series);
    }

    private static ChartSpec crossing(JmhResults results) throws ChartInputException {
        Map<String, Double> scores = results.methodScores(CROSSING, "ns/op");
        List<String> methods = List.copyOf(scores.keySet());
        return new ChartSpec("jmh-crossing.png", "Cost of one call into native code, by call (JMH; lower is better)",
                "benchmark method", "ns per call", Style.BARS, "CrossingBenchmark results", methods,
                List.of(Series.of("ns per call", methods,
                        method -> OptionalDouble.of(scores.get(method)))));
    }

    /** "64B", "16KiB": short enough for a file name. */
    private static String sizeTag(String size) {
        OptionalLong kibibytes = kibibytes(size);
        return kibibytes.isPresent() ? kibibytes.getAsLong() + "KiB" : size + "B";
    }

    private static String sizeWords(String size) {
        OptionalLong kibibytes = kibibytes(size);
        return kibibytes.isPresent() ? kibibytes.getAsLong() + " KiB" : size + "-byte";
    }

    private static OptionalLong kibibytes(String size) {
        if (!size.matches("\\d{4,18}")) {
            return OptionalLong.empty();
        }
        long bytes = Long.parseLong(size);
        return bytes % 1024 == 0 ? OptionalLong.of(bytes / 1024) : OptionalLong.empty();
    }

    /** ", 64 connections", or nothing when the results do not say. */
    private static String connectionsNote(List<String> connections) {
        return connections.isEmpty() ? "" : ", " + String.join("/", connections) + " connections";
    }
}
