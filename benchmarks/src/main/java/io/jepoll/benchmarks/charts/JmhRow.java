package io.jepoll.benchmarks.charts;

import java.util.Map;

/**
 * One row of JMH's CSV results.
 *
 * @param benchmark the full name as JMH writes it, with {@code :metric} for a secondary result
 * @param params    the parameters this benchmark has; JMH leaves the others' columns empty
 * @param source    the row, to name its line in errors
 */
record JmhRow(String benchmark, double score, String unit, Map<String, String> params, CsvRow source) {
}
