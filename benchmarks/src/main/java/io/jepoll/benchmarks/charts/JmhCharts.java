package io.jepoll.benchmarks.charts;

import io.jepoll.benchmarks.charts.ChartSpec.Series;
import io.jepoll.benchmarks.charts.ChartSpec.Style;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** The charts of this module's JMH benchmarks, from JMH's {@code -rf csv} results. */
final class JmhCharts {

    private static final List<String> FIXED_COLUMNS =
            List.of("Benchmark", "Mode", "Threads", "Samples", "Score", "Score Error (99.9%)", "Unit");
    private static final String PARAM_PREFIX = "Param: ";
    private static final String PACKAGE = "io.jepoll.benchmarks.";
    private static final String ECHO = PACKAGE + "EchoBenchmark.echo:";
    private static final String HTTP = PACKAGE + "HttpBenchmark.get:roundTrips";
    private static final String EPOLL_MODE = PACKAGE + "EpollModeBenchmark.";
    private static final String CROSSING = PACKAGE + "CrossingBenchmark.";
    /** The message sizes EchoBenchmark declares: each gets a chart, or a line saying it was skipped. */
    private static final List<String> DECLARED_ECHO_SIZES = List.of("64", "16384");

    /**
     * One row of the results.
     *
     * @param benchmark the full name as JMH writes it, with {@code :metric} for a secondary result
     * @param params    the parameters the benchmark has: JMH leaves the other benchmarks' columns empty
     */
    record Result(String benchmark, double score, String unit, Map<String, String> params, Csv.Row row) {
    }

    private final List<Result> results;

    JmhCharts(List<Result> results) {
        this.results = List.copyOf(results);
    }

    static List<Result> read(Path file) throws ChartInputException {
        Csv csv = Csv.read(file);
        List<String> header = csv.header();
        if (header.size() < FIXED_COLUMNS.size() || !header.subList(0, FIXED_COLUMNS.size()).equals(FIXED_COLUMNS)) {
            throw new ChartInputException(file + ": expected JMH's CSV header, which starts "
                    + String.join(",", FIXED_COLUMNS));
        }
        List<Result> results = new ArrayList<>();
        for (Csv.Row row : csv.rows()) {
            Map<String, String> params = new LinkedHashMap<>();
            for (int column = FIXED_COLUMNS.size(); column < header.size(); column++) {
                if (!row.text(column).isEmpty()) {
                    params.put(header.get(column).substring(PARAM_PREFIX.length()), row.text(column));
                }
            }
            results.add(new Result(row.text(0), row.number(4, "Score"), row.text(6), params, row));
        }
        return results;
    }

    /**
     * Values in the order a reader expects along an axis or in a legend: ascending when they are
     * all numbers (connection counts, sizes), otherwise as first listed (transports, in the order
     * the benchmark declares them).
     */
    static List<String> ordered(Collection<String> valuesInFileOrder) {
        List<String> distinct = List.copyOf(new LinkedHashSet<>(valuesInFileOrder));
        if (!distinct.stream().allMatch(value -> value.matches("\\d{1,18}"))) {
            return distinct;
        }
        return distinct.stream().sorted((a, b) -> Long.compare(Long.parseLong(a), Long.parseLong(b))).toList();
    }

    List<ChartSpec> specs() throws ChartInputException {
        List<String> sizes = new ArrayList<>(DECLARED_ECHO_SIZES);
        sizes.addAll(values(matching((ECHO + "roundTrips")::equals, "ops/s", Map.of()), "size"));
        List<ChartSpec> specs = new ArrayList<>();
        for (String size : ordered(sizes)) {
            String label = sizeLabel(size);
            specs.add(echoByConnections("roundTrips", "ops/s", size, "jmh-echo-round-trips-" + label.replace(" ", "")
                    + ".png", "Echo round trips by connections, " + label + " messages (JMH; higher is better)",
                    "round trips per second"));
        }
        specs.add(echoByConnections("syscallsPerOp", "#", "64", "jmh-echo-syscalls.png",
                "Echo server system calls per round trip, 64 B messages (JMH; lower is better)",
                "server system calls per round trip"));
        specs.add(http());
        specs.add(epollMode());
        specs.add(crossing());
        return specs;
    }

    private ChartSpec echoByConnections(String metric, String unit, String size, String fileName, String title,
                                        String yAxisTitle) throws ChartInputException {
        List<Result> rows = matching((ECHO + metric)::equals, unit, Map.of("size", size));
        List<String> connections = values(rows, "connections");
        return new ChartSpec(fileName, title, "connections", yAxisTitle, Style.BARS,
                "EchoBenchmark.echo:" + metric + " results with size=" + size, connections,
                series(rows, "transport", "connections", connections, transport -> transport));
    }

    /** GET / only: POST /echo ({@code -p route=POST_ECHO}) does more per request, so the two would not compare. */
    private ChartSpec http() throws ChartInputException {
        List<Result> rows = matching(HTTP::equals, "ops/s", Map.of("route", "GET_ROOT"));
        List<String> transports = values(rows, "transport");
        List<String> connections = values(rows, "connections");
        return new ChartSpec("jmh-http.png", "HTTP GET requests per second by transport"
                + (connections.isEmpty() ? "" : ", " + String.join("/", connections) + " connections")
                + " (JMH; higher is better)", "transport", "requests per second", Style.BARS,
                "HttpBenchmark.get:roundTrips results with route=GET_ROOT", transports,
                series(rows, "pipeline", "transport", transports, depth -> "pipeline " + depth));
    }

    /** Both benchmark methods on one chart, LT and ET of each, because the point is how they compare. */
    private ChartSpec epollMode() throws ChartInputException {
        List<Result> readCycle = matching((EPOLL_MODE + "readCycle")::equals, "us/op", Map.of());
        List<Result> waitWithUnreadData = matching((EPOLL_MODE + "waitWithUnreadData")::equals, "us/op", Map.of());
        List<String> fds = values(Stream.concat(readCycle.stream(), waitWithUnreadData.stream()).toList(), "fds");
        List<Series> series = new ArrayList<>(series(readCycle, "mode", "fds", fds, mode -> "readCycle " + mode));
        series.addAll(series(waitWithUnreadData, "mode", "fds", fds, mode -> "waitWithUnreadData " + mode));
        return new ChartSpec("jmh-epoll-mode.png",
                "epoll level- vs edge-triggered at the shim: time per operation by registered fds (JMH)",
                "registered file descriptors", "µs per operation (log scale)", Style.LOG_LINES,
                "EpollModeBenchmark.readCycle or .waitWithUnreadData results", fds, series);
    }

    /**
     * One bar per benchmark method, in file order, and per binding where the run had several; a ':'
     * marks a profiler's secondary result, not a method.
     */
    private ChartSpec crossing() throws ChartInputException {
        List<Result> rows = matching(name -> name.startsWith(CROSSING) && !name.contains(":"), "ns/op", Map.of());
        List<String> methods =
                rows.stream().map(row -> row.benchmark().substring(CROSSING.length())).distinct().toList();
        List<String> bindings = values(rows, "binding");
        List<Series> series = (bindings.isEmpty() ? List.of("") : bindings).stream()
                .map(binding -> Series.of(binding.isEmpty() ? "ns per call" : binding, methods, method -> rows.stream()
                        .filter(row -> row.benchmark().equals(CROSSING + method)
                                && binding.equals(row.params().getOrDefault("binding", "")))
                        .mapToDouble(Result::score).findFirst()))
                .toList();
        return new ChartSpec("jmh-crossing.png", "Cost of one call into native code, by call"
                + (bindings.isEmpty() ? "" : " and binding") + " (JMH; lower is better)",
                "benchmark method", "ns per call", Style.BARS, "CrossingBenchmark results", methods, series);
    }

    /**
     * The results of the benchmarks {@code benchmark} accepts whose parameters match {@code fixed}.
     * A result without a fixed parameter matches it: it comes from before the benchmark declared
     * that parameter, when it measured only the default case (HttpBenchmark only did GET / then).
     *
     * @throws ChartInputException if one is in another unit than {@code unit}: a run with JMH's
     *                             {@code -tu} would otherwise be drawn mislabelled
     */
    private List<Result> matching(Predicate<String> benchmark, String unit, Map<String, String> fixed)
            throws ChartInputException {
        List<Result> matching = new ArrayList<>();
        for (Result result : results) {
            if (benchmark.test(result.benchmark()) && fixed.entrySet().stream().allMatch(param ->
                    result.params().getOrDefault(param.getKey(), param.getValue()).equals(param.getValue()))) {
                if (!result.unit().equals(unit)) {
                    throw result.row().error(result.benchmark() + " is in " + result.unit() + ", but its chart is in "
                            + unit);
                }
                matching.add(result);
            }
        }
        return matching;
    }

    /** One series per value of {@code seriesParam}, its scores by {@code categoryParam} along {@code categories}. */
    private static List<Series> series(List<Result> rows, String seriesParam, String categoryParam,
                                       List<String> categories, Function<String, String> name) {
        return values(rows, seriesParam).stream().map(value -> Series.of(name.apply(value), categories,
                category -> rows.stream().filter(row -> value.equals(row.params().get(seriesParam))
                                && category.equals(row.params().get(categoryParam)))
                        .mapToDouble(Result::score).findFirst())).toList();
    }

    private static List<String> values(List<Result> rows, String param) {
        return ordered(rows.stream().map(row -> row.params().get(param)).filter(Objects::nonNull).toList());
    }

    /** "64 B", "16 KiB". */
    private static String sizeLabel(String size) {
        boolean kibibytes = size.matches("\\d{4,18}") && Long.parseLong(size) % 1024 == 0;
        return kibibytes ? Long.parseLong(size) / 1024 + " KiB" : size + " B";
    }
}
