package io.jepoll.benchmarks.charts;

import io.jepoll.benchmarks.charts.LoadRunCharts.Group;
import io.jepoll.benchmarks.charts.LoadRunCharts.Run;
import java.util.ArrayList;
import java.util.DoubleSummaryStatistics;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.Function;

/** The load run's medians as the text table compare.sh prints and keeps, then the runs with errors. */
final class LoadRunSummary {

    private static final List<String> HEADER = List.of("benchmark", "mode", "conns", "server", "req/s",
            "spread (min-max)", "cpu us/req", "x floor", "syscalls/req", "crossings/req", "p99 us", "load cpu %",
            "rounds");
    /** Numbers right-aligned, so that their digits line up; text, and the spread's ranges, left-aligned. */
    private static final boolean[] RIGHT_ALIGNED =
            {false, false, true, false, true, false, true, true, true, true, true, true, false};
    /** The C servers each benchmark's CPU per request is set against ("x floor"). */
    private static final Map<String, String> FLOORS = Map.of("http", "floor", "echo", "echo-floor");
    /** At this share of its CPU the load generator, not the server, set the rate. */
    private static final double LOAD_BOUND_PERCENT = 95;

    private LoadRunSummary() {
    }

    static String text(List<Run> runs) {
        List<List<String>> table = new ArrayList<>();
        table.add(HEADER);
        boolean anyNoCleanRun = false;
        boolean anyLoadBound = false;
        List<Group> groups = LoadRunCharts.group(runs);
        for (Group group : groups) {
            DoubleSummaryStatistics rates = group.values(Run::requestsPerSecond).stream()
                    .mapToDouble(Double::doubleValue).summaryStatistics();
            String spread = rates.getCount() == 0 ? "-" : format(rates.getMin(), 0) + "-" + format(rates.getMax(), 0);
            OptionalDouble loadCpu = group.median(Run::loadCpuPercent);
            long clean = group.runs().stream().filter(Run::clean).count();
            table.add(List.of(group.benchmark(), group.mode(), group.connections(), group.server(),
                    median(group, Run::requestsPerSecond, 0), spread, median(group, Run::cpuMicrosPerRequest, 2),
                    toFloor(group, groups), median(group, Run::syscallsPerRequest, 3),
                    median(group, Run::crossingsPerRequest, 3), median(group, Run::p99Micros, 0),
                    median(group, Run::loadCpuPercent, 1),
                    clean + "/" + group.runs().size() + (group.noCleanRun() ? "*" : "")));
            anyNoCleanRun |= group.noCleanRun();
            anyLoadBound |= loadCpu.isPresent() && loadCpu.getAsDouble() >= LOAD_BOUND_PERCENT;
        }
        StringBuilder text = new StringBuilder("medians per benchmark, mode, connections and server"
                + " (x floor: cpu per request over the C floor's; rounds: without errors / all):\n");
        int[] widths = widths(table);
        table.forEach(row -> text.append(line(row, widths)));
        if (anyNoCleanRun) {
            text.append("  * every run had errors: its medians are of all its runs\n");
        }
        if (anyLoadBound) {
            text.append("  load cpu % of ").append(format(LOAD_BOUND_PERCENT, 0))
                    .append(" or more: the load generator, not the server, limited the rate\n");
        }
        for (Run run : runs) {
            if (!run.clean()) {
                text.append("  errors: ").append(String.join(" ", run.benchmark(), run.mode(), run.connections(),
                        "connections", run.server(), "round", run.round())).append(": ").append(errorText(run.errors()))
                        .append(run.socketErrors().isEmpty() ? "" : " (socket errors: " + run.socketErrors() + ")")
                        .append('\n');
            }
        }
        return text.toString();
    }

    /** The group's median CPU per request over its C floor's in the same benchmark, mode and connections. */
    private static String toFloor(Group group, List<Group> groups) {
        OptionalDouble own = group.median(Run::cpuMicrosPerRequest);
        OptionalDouble floor = groups.stream().filter(other -> other.server().equals(FLOORS.get(group.benchmark()))
                        && other.mode().equals(group.mode()) && other.connections().equals(group.connections()))
                .map(other -> other.median(Run::cpuMicrosPerRequest)).filter(OptionalDouble::isPresent).findFirst()
                .orElse(OptionalDouble.empty());
        return own.isPresent() && floor.isPresent() && floor.getAsDouble() > 0
                ? format(own.getAsDouble() / floor.getAsDouble(), 2) : "-";
    }

    private static String median(Group group, Function<Run, OptionalDouble> metric, int decimals) {
        OptionalDouble median = group.median(metric);
        return median.isPresent() ? format(median.getAsDouble(), decimals) : "-";
    }

    /** compare.sh writes a count of failed requests as a number, and what failed as a word. */
    private static String errorText(String errors) {
        return errors.matches("\\d+") ? errors + " errors" : errors;
    }

    private static String format(double value, int decimals) {
        return String.format(Locale.ROOT, "%,." + decimals + "f", value);
    }

    private static int[] widths(List<List<String>> table) {
        int[] widths = new int[HEADER.size()];
        for (List<String> row : table) {
            for (int column = 0; column < widths.length; column++) {
                widths[column] = Math.max(widths[column], row.get(column).length());
            }
        }
        return widths;
    }

    private static String line(List<String> row, int[] widths) {
        List<String> cells = new ArrayList<>();
        for (int column = 0; column < widths.length; column++) {
            String pad = " ".repeat(widths[column] - row.get(column).length());
            cells.add(RIGHT_ALIGNED[column] ? pad + row.get(column) : row.get(column) + pad);
        }
        return ("  " + String.join("  ", cells)).stripTrailing() + "\n";
    }
}
