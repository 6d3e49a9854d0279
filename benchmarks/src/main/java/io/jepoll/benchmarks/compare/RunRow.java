package io.jepoll.benchmarks.compare;

import java.util.Locale;

/**
 * One run's line in the CSV (the charts read it: the header is theirs) and on the console.
 * Figures are text, already formatted; an empty one was not measured for this server. The
 * columns of the first CSVs come first, those added since after them.
 *
 * @param server the contender's label, {@code jepoll-et@25/ffm}
 * @param jdk the Java server's JDK ({@code 17}), empty for the others
 * @param binding the jepoll epoll server's binding ({@code jna}), empty for the others
 * @param latency the load generator's round-trip latency percentiles
 * @param wrk wrk's timeout and socket errors; {@link WrkErrors#NONE} for echo
 * @param errors {@code 0}, a count of failed requests, or what failed ({@code server-died}, {@code wrk-failed}, ...)
 * @param errorDetail what went wrong, for the summary; not in the CSV
 */
record RunRow(String benchmark, String mode, String server, String jdk, String binding, int round, int connections,
        String requestsPerSecond, String cpuMicrosPerRequest, String syscallsPerRequest, String crossingsPerRequest,
        String loadCpuPercent, Latency latency, WrkErrors wrk, String errors, String errorDetail) {

    static final String HEADER = "benchmark,mode,server,round,connections,requests_per_second,cpu_us_per_request,"
            + "syscalls_per_request,crossings_per_request,load_cpu_percent,errors,jdk,binding,latency_p50_us,"
            + "latency_p99_us,wrk_timeout_s,connect_errors,read_errors,write_errors,timeout_errors";

    /** The median and 99th percentile of the request or round-trip latency, in microseconds; empty when unknown. */
    record Latency(String p50Micros, String p99Micros) {
        static final Latency UNKNOWN = new Latency("", "");
    }

    /** wrk's {@code --timeout} in seconds and its socket errors by kind; all empty for a run without wrk. */
    record WrkErrors(String timeoutSeconds, String connect, String read, String write, String timeout) {
        static final WrkErrors NONE = new WrkErrors("", "", "", "", "");
    }

    boolean clean() {
        return errors.equals("0");
    }

    String csvLine() {
        return String.join(",", benchmark, mode, server, Integer.toString(round), Integer.toString(connections),
                requestsPerSecond, cpuMicrosPerRequest, syscallsPerRequest, crossingsPerRequest, loadCpuPercent,
                errors, jdk, binding, latency.p50Micros(), latency.p99Micros(), wrk.timeoutSeconds(), wrk.connect(),
                wrk.read(), wrk.write(), wrk.timeout());
    }

    /** The summary's line for a run with errors. */
    String problem() {
        return benchmark + " " + mode + " " + server + " " + connections + " connections round " + round + ": "
                + problemDetail();
    }

    /** The progress line printed as the run ends. */
    String consoleLine() {
        boolean echo = benchmark.equals("echo");
        String unit = echo ? "rt" : "req";
        String format = "  %-6s %-10s %-18s %6d conns round %d: %12s " + unit + "/s  %8s cpu us/" + unit
                + "  %7s syscalls/" + unit + "  %7s crossings/" + unit + "  p99 %9s us  load %5s%%%s";
        return String.format(Locale.ROOT, format, benchmark, mode, server, connections, round,
                orElse(requestsPerSecond, "?"), orElse(cpuMicrosPerRequest, "-"), orElse(syscallsPerRequest, "-"),
                orElse(crossingsPerRequest, "-"), orElse(latency.p99Micros(), "-"), orElse(loadCpuPercent, "?"),
                clean() ? "" : "  ERRORS: " + problemDetail());
    }

    private String problemDetail() {
        return errorDetail.isBlank() ? errors + " errors" : errorDetail.strip();
    }

    private static String orElse(String value, String absent) {
        return value.isEmpty() ? absent : value;
    }
}
