/**
 * The side-by-side load run behind {@code benchmarks/compare.sh}, and the process handling
 * {@code benchmarks/soak.sh} shares: options, server command lines, supervising servers and load
 * generators so that none outlives a run, the servers' CPU time from {@code /proc}, reading
 * wrk's, EchoLoad's and the jepoll servers' output, and writing the CSV and the summary.
 */
package io.jepoll.benchmarks.compare;
