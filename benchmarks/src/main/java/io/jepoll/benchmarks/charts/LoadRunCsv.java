package io.jepoll.benchmarks.charts;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the side-by-side load run's CSV. Every column is checked, including those no chart
 * shows yet (syscalls, crossings, errors), so that a damaged file is caught here and not drawn.
 */
final class LoadRunCsv {

    static final List<String> HEADER = List.of("benchmark", "mode", "server", "round", "connections",
            "requests_per_second", "cpu_us_per_request", "syscalls_per_request", "crossings_per_request", "errors");

    private LoadRunCsv() {
    }

    static List<LoadRun> read(Path file) throws ChartInputException {
        CsvTable table = CsvReader.read(file);
        if (!table.header().equals(HEADER)) {
            throw ChartInputException.at(file, table.headerLine(), "expected the header " + String.join(",", HEADER));
        }
        List<LoadRun> runs = new ArrayList<>();
        // A round measured twice would make the median a median of something else.
        Map<List<Object>, Integer> firstLineOfRound = new HashMap<>();
        for (CsvRow row : table.rows()) {
            LoadRun run = parse(row);
            Integer earlier = firstLineOfRound.putIfAbsent(
                    List.of(run.benchmark(), run.mode(), run.server(), run.round()), row.line());
            if (earlier != null) {
                throw row.error("round " + run.round() + " of " + run.benchmark() + " " + run.mode() + " "
                        + run.server() + " again (first on line " + earlier + ")");
            }
            runs.add(run);
        }
        return runs;
    }

    private static LoadRun parse(CsvRow row) throws ChartInputException {
        int round = row.nonNegativeInteger(3, "round");
        if (round == 0) {
            throw row.error("round is 0; rounds count from 1");
        }
        String connections = row.field(4);
        if (!connections.isEmpty()) {
            row.nonNegativeInteger(4, "connections");
        }
        row.optionalDecimal(7, "syscalls_per_request");
        row.optionalDecimal(8, "crossings_per_request");
        row.nonNegativeInteger(9, "errors");
        return new LoadRun(row.requiredText(0, "benchmark"), row.requiredText(1, "mode"),
                row.requiredText(2, "server"), round, connections,
                row.optionalDecimal(5, "requests_per_second"), row.optionalDecimal(6, "cpu_us_per_request"));
    }
}
