package io.jepoll.benchmarks.charts;

import io.jepoll.benchmarks.charts.ChartSpec.Series;
import io.jepoll.benchmarks.charts.ChartSpec.Style;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The side-by-side load run (compare.sh's CSV): its runs, grouped by benchmark, mode, connection
 * count and server into medians over the rounds, and the charts of them: servers along the x axis
 * (a Java server's label names its JDK and binding, {@code jepoll-et@25/ffm}), one series per
 * mode, one chart per connection count when a run has several. XChart's error bars are
 * symmetric, so a min–max range around a median cannot be drawn honestly; the titles say what
 * the median is of instead.
 */
final class LoadRunCharts {

    /** The columns of the first CSVs, which every CSV starts with; later ones add {@link #LATER_COLUMNS}. */
    static final String HEADER = "benchmark,mode,server,round,connections,requests_per_second,cpu_us_per_request,"
            + "syscalls_per_request,crossings_per_request,load_cpu_percent,errors";
    static final List<String> LATER_COLUMNS = List.of("jdk", "binding", "latency_p50_us", "latency_p99_us",
            "wrk_timeout_s", "connect_errors", "read_errors", "write_errors", "timeout_errors");

    /** How the legend names compare.sh's modes. */
    private static final Map<String, String> MODE_NAMES = Map.of(
            "plain", "plain (one request at a time)",
            "pipeline16", "16-deep pipelined",
            "ping64", "64-byte ping-pong");

    /**
     * One round of one server. An empty measurement is absent (not applicable to that server, or
     * a CSV from before the column), never zero.
     *
     * @param server its label, JDK and binding included
     * @param errors {@code 0} for a clean run, otherwise a count or what failed ({@code server-died}, ...)
     * @param socketErrors wrk's socket errors by kind, those above 0 ("read 20, timeout 3"); empty when none
     */
    record Run(String benchmark, String mode, String server, String round, String connections,
               OptionalDouble requestsPerSecond, OptionalDouble cpuMicrosPerRequest,
               OptionalDouble syscallsPerRequest, OptionalDouble crossingsPerRequest,
               OptionalDouble loadCpuPercent, OptionalDouble p50Micros, OptionalDouble p99Micros, String errors,
               String socketErrors) {

        boolean clean() {
            return errors.equals("0");
        }
    }

    /**
     * The rounds of one benchmark, mode, connection count and server. Its medians are of the
     * clean runs, since a run with errors measured something else; when no run is clean they are
     * of all of them, which {@link #noCleanRun()} lets the reader be told.
     */
    record Group(String benchmark, String mode, String connections, String server, List<Run> runs) {

        List<Run> used() {
            List<Run> clean = runs.stream().filter(Run::clean).toList();
            return clean.isEmpty() ? runs : clean;
        }

        boolean noCleanRun() {
            return runs.stream().noneMatch(Run::clean);
        }

        /** The metric's values in the runs used that have it. */
        List<Double> values(Function<Run, OptionalDouble> metric) {
            return used().stream().map(metric).filter(OptionalDouble::isPresent)
                    .map(OptionalDouble::getAsDouble).toList();
        }

        OptionalDouble median(Function<Run, OptionalDouble> metric) {
            List<Double> values = values(metric);
            return values.isEmpty() ? OptionalDouble.empty() : OptionalDouble.of(LoadRunCharts.median(values));
        }
    }

    private LoadRunCharts() {
    }

    static List<Run> read(Path file) throws ChartInputException {
        Csv csv = Csv.read(file);
        String header = String.join(",", csv.header());
        if (!(header + ",").startsWith(HEADER + ",")) {
            throw new ChartInputException(file + ": expected a header starting with " + HEADER);
        }
        List<Run> runs = new ArrayList<>();
        for (Csv.Row row : csv.rows()) {
            runs.add(new Run(row.text(0), row.text(1), row.text(2), row.text(3), row.text(4),
                    row.optionalNumber(5, "requests_per_second"), row.optionalNumber(6, "cpu_us_per_request"),
                    row.optionalNumber(7, "syscalls_per_request"), row.optionalNumber(8, "crossings_per_request"),
                    row.optionalNumber(9, "load_cpu_percent"), optionalColumn(csv, row, "latency_p50_us"),
                    optionalColumn(csv, row, "latency_p99_us"), row.text(10), socketErrors(csv, row)));
        }
        return runs;
    }

    private static String socketErrors(Csv csv, Csv.Row row) {
        List<String> kinds = new ArrayList<>();
        for (String kind : List.of("connect", "read", "write", "timeout")) {
            int column = csv.header().indexOf(kind + "_errors");
            if (column >= 0 && !row.text(column).isEmpty() && !row.text(column).equals("0")) {
                kinds.add(kind + " " + row.text(column));
            }
        }
        return String.join(", ", kinds);
    }

    private static OptionalDouble optionalColumn(Csv csv, Csv.Row row, String name) throws ChartInputException {
        int column = csv.header().indexOf(name);
        return column < 0 ? OptionalDouble.empty() : row.optionalNumber(column, name);
    }

    /** The groups in the order the file first names them: compare.sh runs servers in a deliberate order. */
    static List<Group> group(List<Run> runs) {
        return runs.stream().collect(Collectors.groupingBy(
                        run -> List.of(run.benchmark(), run.mode(), run.connections(), run.server()),
                        LinkedHashMap::new, Collectors.toList())).values().stream()
                .map(same -> new Group(same.get(0).benchmark(), same.get(0).mode(), same.get(0).connections(),
                        same.get(0).server(), same))
                .toList();
    }

    /**
     * The middle value, or the mean of the two middle ones: the typical round, where a mean would
     * be pulled by one disturbed round.
     */
    static double median(Collection<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /**
     * Per benchmark and metric, a chart for each connection count; with one count in the file,
     * the file names of the first charts ({@code http-throughput.png}), else the count added
     * ({@code http-throughput-1000c.png}).
     */
    static List<ChartSpec> specs(List<Group> groups) {
        List<ChartSpec> specs = new ArrayList<>();
        List<String> counts = groups.stream().map(Group::connections).distinct().toList();
        for (String count : counts.isEmpty() ? List.of("") : counts) {
            List<Group> ofCount = groups.stream().filter(group -> group.connections().equals(count)).toList();
            String suffix = counts.size() > 1 ? "-" + count + "c.png" : ".png";
            specs.add(byServer(ofCount, "http", "http-throughput" + suffix, "HTTP throughput (higher is better)",
                    "requests per second", "requests_per_second", Run::requestsPerSecond));
            specs.add(byServer(ofCount, "http", "http-cpu-per-request" + suffix,
                    "HTTP server CPU per request (lower is better)", "server CPU time per request (µs)",
                    "cpu_us_per_request", Run::cpuMicrosPerRequest));
            specs.add(byServer(ofCount, "http", "http-p99-latency" + suffix, "HTTP p99 latency (lower is better)",
                    "99th percentile latency, wrk (µs)", "latency_p99_us", Run::p99Micros));
            specs.add(byServer(ofCount, "echo", "echo-throughput" + suffix, "Echo throughput (higher is better)",
                    "round trips per second", "requests_per_second", Run::requestsPerSecond));
            specs.add(byServer(ofCount, "echo", "echo-cpu-per-round-trip" + suffix,
                    "Echo server CPU per round trip (lower is better)", "server CPU time per round trip (µs)",
                    "cpu_us_per_request", Run::cpuMicrosPerRequest));
        }
        return specs;
    }

    private static ChartSpec byServer(List<Group> all, String benchmark, String fileName, String title,
                                      String yAxisTitle, String column, Function<Run, OptionalDouble> metric) {
        List<Group> groups = all.stream().filter(group -> group.benchmark().equals(benchmark)).toList();
        List<String> servers = groups.stream().map(Group::server).distinct().toList();
        List<Series> series = new ArrayList<>();
        for (String mode : groups.stream().map(Group::mode).distinct().toList()) {
            List<Group> ofMode = groups.stream().filter(group -> group.mode().equals(mode)).toList();
            List<String> errored = ofMode.stream()
                    .filter(group -> group.noCleanRun() && group.median(metric).isPresent())
                    .map(Group::server).toList();
            series.add(Series.of(legend(mode, errored), servers, server -> ofMode.stream()
                    .filter(group -> group.server().equals(server)).findFirst()
                    .map(group -> group.median(metric)).orElse(OptionalDouble.empty())));
        }
        return new ChartSpec(fileName, title + " — " + conditions(groups), "server", yAxisTitle, Style.BARS,
                benchmark + " rows with a " + column, servers, series);
    }

    /**
     * The mode's name, and which of its bars are of runs that all had errors: said in the legend
     * because the chart's one title line has no room left for it.
     */
    private static String legend(String mode, List<String> erroredServers) {
        String name = MODE_NAMES.getOrDefault(mode, mode);
        return erroredServers.isEmpty() ? name : name + " (runs had errors: " + String.join(", ", erroredServers) + ")";
    }

    /** "64 connections, median of 3 rounds": what a reader needs to compare this chart with another. */
    private static String conditions(List<Group> groups) {
        List<String> connections = groups.stream().flatMap(group -> group.runs().stream()).map(Run::connections)
                .filter(count -> !count.isEmpty()).distinct().toList();
        String text = connections.isEmpty() ? "" : String.join("/", connections) + " connections, ";
        int fewest = groups.stream().mapToInt(group -> group.used().size()).min().orElse(0);
        int most = groups.stream().mapToInt(group -> group.used().size()).max().orElse(0);
        return text + "median of " + (fewest == most ? "" : fewest + "–") + most + (most == 1 ? " round" : " rounds");
    }
}
