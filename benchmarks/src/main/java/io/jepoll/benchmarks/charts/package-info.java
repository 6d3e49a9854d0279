/**
 * The charts: PNGs drawn by XChart from the side-by-side load-run CSV and from JMH's CSV results,
 * and the load run's summary table.
 * {@link io.jepoll.benchmarks.charts.Charts} is the command line.
 */
package io.jepoll.benchmarks.charts;
