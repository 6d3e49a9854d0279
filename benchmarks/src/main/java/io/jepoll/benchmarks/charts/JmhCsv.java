package io.jepoll.benchmarks.charts;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads JMH's {@code -rf csv} results. The first seven columns are fixed; after them comes one
 * {@code Param: name} column per parameter of any benchmark in the run, so their set depends on
 * which benchmarks ran.
 */
final class JmhCsv {

    static final List<String> FIXED_COLUMNS =
            List.of("Benchmark", "Mode", "Threads", "Samples", "Score", "Score Error (99.9%)", "Unit");
    private static final String PARAM_PREFIX = "Param: ";
    private static final int SCORE = 4;
    private static final int UNIT = 6;

    private JmhCsv() {
    }

    static List<JmhRow> read(Path file) throws ChartInputException {
        CsvTable table = CsvReader.read(file);
        List<String> header = table.header();
        if (header.size() < FIXED_COLUMNS.size() || !header.subList(0, FIXED_COLUMNS.size()).equals(FIXED_COLUMNS)
                || !header.stream().skip(FIXED_COLUMNS.size()).allMatch(name -> name.startsWith(PARAM_PREFIX))) {
            throw ChartInputException.at(file, table.headerLine(), "expected JMH's CSV header: "
                    + String.join(",", FIXED_COLUMNS) + " and then \"Param: name\" columns");
        }
        List<JmhRow> rows = new ArrayList<>();
        // JMH writes each benchmark and parameter combination once; a second one could not be told apart.
        Map<List<Object>, Integer> firstLineOfResult = new HashMap<>();
        for (CsvRow row : table.rows()) {
            JmhRow result = parse(row, header);
            Integer earlier = firstLineOfResult.putIfAbsent(List.of(result.benchmark(), result.params()), row.line());
            if (earlier != null) {
                throw row.error(result.benchmark() + " " + result.params() + " again (first on line " + earlier + ")");
            }
            rows.add(result);
        }
        return rows;
    }

    private static JmhRow parse(CsvRow row, List<String> header) throws ChartInputException {
        Map<String, String> params = new LinkedHashMap<>();
        for (int column = FIXED_COLUMNS.size(); column < header.size(); column++) {
            if (!row.field(column).isEmpty()) {
                params.put(header.get(column).substring(PARAM_PREFIX.length()), row.field(column));
            }
        }
        return new JmhRow(row.requiredText(0, "Benchmark"), row.decimal(SCORE, "Score"),
                row.requiredText(UNIT, "Unit"), Collections.unmodifiableMap(params), row);
    }
}
