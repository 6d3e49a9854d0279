package io.jepoll.benchmarks.charts;

import java.util.List;

/** A CSV file read into its header and the records below it. */
record CsvTable(int headerLine, List<String> header, List<CsvRow> rows) {
}
