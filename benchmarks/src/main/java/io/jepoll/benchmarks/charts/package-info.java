/**
 * The charts: PNGs drawn by XChart from the side-by-side load-run CSV and from JMH's CSV results.
 * {@link io.jepoll.benchmarks.charts.Charts} is the command line.
 */
package io.jepoll.benchmarks.charts;
