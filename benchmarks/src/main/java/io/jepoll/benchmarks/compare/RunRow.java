package io.jepoll.benchmarks.compare;

import java.util.Locale;

/**
 * One run's line in the CSV (the charts read it: the header is theirs) and on the console.
 * Figures are text, already formatted; an empty one was not measured for this server.
 *
 * @param errors {@code 0}, a count of failed requests, or what failed ({@code server-died}, {@code wrk-failed}, ...)
 * @param errorDetail what went wrong, for the summary; not in the CSV
 */
record RunRow(String benchmark, String mode, String server, int round, int connections, String requestsPerSecond,
        String cpuMicrosPerRequest, String syscallsPerRequest, String crossingsPerRequest, String loadCpuPercent,
        String errors, String errorDetail) {

    static final String HEADER = "benchmark,mode,server,round,connections,requests_per_second,cpu_us_per_request,"
            + "syscalls_per_request,crossings_per_request,load_cpu_percent,errors";

    boolean clean() {
        return errors.equals("0");
    }

    String csvLine() {
        return String.join(",", benchmark, mode, server, Integer.toString(round), Integer.toString(connections),
                requestsPerSecond, cpuMicrosPerRequest, syscallsPerRequest, crossingsPerRequest, loadCpuPercent,
                errors);
    }

    /** The summary's line for a run with errors. */
    String problem() {
        return benchmark + " " + mode + " " + server + " round " + round + ": " + problemDetail();
    }

    /** The progress line printed as the run ends. */
    String consoleLine() {
        boolean echo = benchmark.equals("echo");
        String format = echo
                ? "  echo %-10s %-16s round %d: %12s rt/s   %8s cpu us/rt   %7s syscalls/rt   %7s crossings/rt  load %5s%%%s"
                : "  " + benchmark + " %-10s %-16s round %d: %12s req/s  %8s cpu us/req  %7s syscalls/req  %7s crossings/req"
                        + "  load %5s%%%s";
        return String.format(Locale.ROOT, format, mode, server, round, orElse(requestsPerSecond, "?"),
                orElse(cpuMicrosPerRequest, "-"), orElse(syscallsPerRequest, "-"), orElse(crossingsPerRequest, "-"),
                orElse(loadCpuPercent, "?"), clean() ? "" : "  ERRORS: " + problemDetail());
    }

    private String problemDetail() {
        return errorDetail.isBlank() ? errors + " errors" : errorDetail.strip();
    }

    private static String orElse(String value, String absent) {
        return value.isEmpty() ? absent : value;
    }
}
