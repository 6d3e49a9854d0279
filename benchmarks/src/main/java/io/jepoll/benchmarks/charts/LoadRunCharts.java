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
 * The side-by-side load run (compare.sh's CSV): its runs, grouped by benchmark, mode and server
 * into medians over the rounds, and the charts of them: servers along the x axis, one series per
 * mode. XChart's error bars are symmetric, so a min–max range around a median cannot be drawn
 * honestly; the titles say what the median is of instead.
 */
final class LoadRunCharts {

    static final String HEADER = "benchmark,mode,server,round,connections,requests_per_second,cpu_us_per_request,"
            + "syscalls_per_request,crossings_per_request,load_cpu_percent,errors";

    /** How the legend names compare.sh's modes. */
    private static final Map<String, String> MODE_NAMES = Map.of(
            "plain", "plain (one request at a time)",
            "pipeline16", "16-deep pipelined",
            "ping64", "64-byte ping-pong");

    /**
     * One round of one server. An empty measurement is absent (not applicable to that server), never zero.
     *
     * @param errors {@code 0} for a clean run, otherwise a count or what failed ({@code server-died}, ...)
     */
    record Run(String benchmark, String mode, String server, String round, String connections,
               OptionalDouble requestsPerSecond, OptionalDouble cpuMicrosPerRequest,
               OptionalDouble syscallsPerRequest, OptionalDouble crossingsPerRequest,
               OptionalDouble loadCpuPercent, String errors) {

        boolean clean() {
            return errors.equals("0");
        }
    }

    /**
     * The rounds of one benchmark, mode and server. Its medians are of the clean runs, since a
     * run with errors measured something else; when no run is clean they are of all of them,
     * which {@link #noCleanRun()} lets the reader be told.
     */
    record Group(String benchmark, String mode, String server, List<Run> runs) {

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
        if (!String.join(",", csv.header()).equals(HEADER)) {
            throw new ChartInputException(file + ": expected the header " + HEADER);
        }
        List<Run> runs = new ArrayList<>();
        for (Csv.Row row : csv.rows()) {
            runs.add(new Run(row.text(0), row.text(1), row.text(2), row.text(3), row.text(4),
                    row.optionalNumber(5, "requests_per_second"), row.optionalNumber(6, "cpu_us_per_request"),
                    row.optionalNumber(7, "syscalls_per_request"), row.optionalNumber(8, "crossings_per_request"),
                    row.optionalNumber(9, "load_cpu_percent"), row.text(10)));
        }
        return runs;
    }

    /** The groups in the order the file first names them: compare.sh runs servers in a deliberate order. */
    static List<Group> group(List<Run> runs) {
        return runs.stream().collect(Collectors.groupingBy(run -> List.of(run.benchmark(), run.mode(), run.server()),
                        LinkedHashMap::new, Collectors.toList())).values().stream()
                .map(same -> new Group(same.get(0).benchmark(), same.get(0).mode(), same.get(0).server(), same))
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

    static List<ChartSpec> specs(List<Group> groups) {
        return List.of(
                byServer(groups, "http", "http-throughput.png", "HTTP throughput (higher is better)",
                        "requests per second", "requests_per_second", Run::requestsPerSecond),
                byServer(groups, "http", "http-cpu-per-request.png", "HTTP server CPU per request (lower is better)",
                        "server CPU time per request (µs)", "cpu_us_per_request", Run::cpuMicrosPerRequest),
                byServer(groups, "echo", "echo-throughput.png", "Echo throughput (higher is better)",
                        "round trips per second", "requests_per_second", Run::requestsPerSecond),
                byServer(groups, "echo", "echo-cpu-per-round-trip.png",
                        "Echo server CPU per round trip (lower is better)", "server CPU time per round trip (µs)",
                        "cpu_us_per_request", Run::cpuMicrosPerRequest));
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
