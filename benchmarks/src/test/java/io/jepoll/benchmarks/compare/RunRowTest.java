package io.jepoll.benchmarks.compare;

import static org.assertj.core.api.Assertions.assertThat;

import io.jepoll.benchmarks.charts.Charts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunRowTest {

    private static final RunRow.WrkErrors NO_SOCKET_ERRORS = new RunRow.WrkErrors("5", "0", "0", "0", "0");
    private static final RunRow CLEAN = new RunRow("http", "plain", "jepoll-et@25/ffm", "25", "ffm", 1, 64,
            "84047.04", "11.342", "2.2696", "2.2695", "95.0", new RunRow.Latency("712.0", "1200.0"), NO_SOCKET_ERRORS,
            "0", "");
    private static final RunRow FAILED = new RunRow("http", "pipeline16", "base-nio@17", "17", "", 2, 1000, "", "",
            "", "", "", RunRow.Latency.UNKNOWN, new RunRow.WrkErrors("5", "", "", "", ""), "wrk-failed",
            "wrk failed: unable to connect");
    private static final RunRow SOME_ERRORS = new RunRow("echo", "ping64", "netty@17", "17", "", 3, 64, "100000.0",
            "8.710", "", "", "94.1", new RunRow.Latency("600.0", "900.0"), RunRow.WrkErrors.NONE, "12", "");

    @Test
    void aRowIsTheCsvLineCompareShAlwaysWroteFollowedByTheLaterColumns() {
        assertThat(RunRow.HEADER).isEqualTo("benchmark,mode,server,round,connections,requests_per_second,"
                + "cpu_us_per_request,syscalls_per_request,crossings_per_request,load_cpu_percent,errors,"
                + "jdk,binding,latency_p50_us,latency_p99_us,wrk_timeout_s,connect_errors,read_errors,write_errors,"
                + "timeout_errors");
        assertThat(CLEAN.csvLine()).isEqualTo("http,plain,jepoll-et@25/ffm,1,64,84047.04,11.342,2.2696,2.2695,95.0,0,"
                + "25,ffm,712.0,1200.0,5,0,0,0,0");
        assertThat(FAILED.csvLine()).isEqualTo("http,pipeline16,base-nio@17,2,1000,,,,,,wrk-failed,17,,,,5,,,,");
        assertThat(SOME_ERRORS.csvLine()).endsWith(",12,17,,600.0,900.0,,,,,");
    }

    @Test
    void theConsoleLineShowsTheFiguresAndWhatWentWrong() {
        assertThat(CLEAN.consoleLine()).isEqualTo("  http   plain      jepoll-et@25/ffm       64 conns round 1:"
                + "     84047.04 req/s    11.342 cpu us/req   2.2696 syscalls/req   2.2695 crossings/req"
                + "  p99    1200.0 us  load  95.0%");
        assertThat(FAILED.consoleLine()).startsWith("  http   pipeline16 base-nio@17          1000 conns round 2:"
                + "            ? req/s").endsWith("p99         - us  load     ?%  ERRORS: wrk failed: unable to connect");
        assertThat(SOME_ERRORS.consoleLine()).contains("rt/s", "cpu us/rt").endsWith("  ERRORS: 12 errors");
        assertThat(SOME_ERRORS.problem()).isEqualTo("echo ping64 netty@17 64 connections round 3: 12 errors");
    }

    @Test
    void figuresAreEmptyWhereThereIsNothingToDivide() {
        assertThat(Figures.per(227, 100, 4)).isEqualTo("2.2700");
        assertThat(Figures.per(227, 0, 4)).isEmpty();
        assertThat(Figures.cpuMicrosPer(OptionalLong.of(100), OptionalLong.of(200), 50_000, 100)).isEqualTo("20.000");
        assertThat(Figures.cpuMicrosPer(OptionalLong.empty(), OptionalLong.of(200), 50_000, 100)).isEmpty();
        assertThat(Figures.cpuMicrosPer(OptionalLong.of(100), OptionalLong.of(200), 0, 100)).isEmpty();
        assertThat(Figures.cpuPercent(OptionalLong.of(10), OptionalLong.of(485), 5, 100)).isEqualTo("95.0");
        assertThat(Figures.cpuPercent(OptionalLong.of(10), OptionalLong.empty(), 5, 100)).isEmpty();
    }

    @Test
    void theChartsReadTheCsvAndTheSummaryListsWhatWentWrong(@TempDir Path dir) throws Exception {
        List<RunRow> rows = new ArrayList<>(List.of(CLEAN, FAILED, SOME_ERRORS));
        rows.add(new RunRow("http", "plain", "jepoll-et@25/ffm", "25", "ffm", 2, 64, "90000.00", "10.000", "2.2000",
                "2.2000", "90.0", new RunRow.Latency("700.0", "1000.0"), NO_SOCKET_ERRORS, "0", ""));
        rows.add(new RunRow("http", "plain", "jepoll-et@25/ffm", "25", "ffm", 3, 64, "70000.00", "13.000", "2.3000",
                "2.3000", "99.0", new RunRow.Latency("800.0", "1400.0"), NO_SOCKET_ERRORS, "0", ""));
        rows.add(new RunRow("http", "plain", "floor", "", "", 1, 64, "100000.00", "5.671", "", "", "99.0",
                new RunRow.Latency("500.0", "900.0"), NO_SOCKET_ERRORS, "0", ""));
        Path csv = dir.resolve("run.csv");
        StringBuilder text = new StringBuilder(RunRow.HEADER + "\n");
        rows.forEach(row -> text.append(row.csvLine()).append('\n'));
        Files.writeString(csv, text);

        String summary = Summary.text(Charts.summary(csv), rows, 125);

        assertThat(summary).containsPattern("http\\s+plain\\s+64\\s+jepoll-et@25/ffm\\s+84,047\\s+70,000-90,000"
                + "\\s+11.34\\s+2.00\\s+2.270\\s+2.270\\s+1,200\\s+95.0\\s+3/3");
        assertThat(summary).contains("what went wrong in those runs:\n"
                + "  http pipeline16 base-nio@17 1000 connections round 2: wrk failed: unable to connect\n"
                + "  echo ping64 netty@17 64 connections round 3: 12 errors\n");
        assertThat(summary).endsWith("wall time: 2 min 5 s\n");
    }

    @Test
    void aCleanRunsSummaryHasNoProblemList() {
        assertThat(Summary.text("medians\n", List.of(CLEAN), 7)).isEqualTo("medians\nwall time: 0 min 7 s\n");
    }
}
