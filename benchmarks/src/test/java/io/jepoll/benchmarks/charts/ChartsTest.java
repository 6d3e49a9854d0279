package io.jepoll.benchmarks.charts;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command, from CSV files to PNG files and the summary. */
class ChartsTest {

    private static final List<String> LOAD_RUN_CHARTS = List.of("http-throughput.png", "http-cpu-per-request.png",
            "echo-throughput.png", "echo-cpu-per-round-trip.png");
    private static final List<String> JMH_CHARTS = List.of("jmh-echo-round-trips-64B.png",
            "jmh-echo-round-trips-16KiB.png", "jmh-echo-syscalls.png", "jmh-http.png", "jmh-epoll-mode.png",
            "jmh-crossing.png");

    @TempDir
    Path dir;

    private final StringWriter printed = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    @Timeout(60)
    void theLoadRunAndTheSampleGiveTheChartsTheirDataAllows() throws Exception {
        Path out = dir.resolve("charts");
        Path jmh = JmhChartsTest.sample();

        Path compare = write("compare.csv", loadRun());

        int exit = run("--compare", compare.toString(), "--jmh", jmh.toString(), "--out", out.toString());

        assertThat(exit).isZero();
        assertThat(printed.toString().lines()).containsExactly(
                "wrote " + out.resolve("http-throughput.png"),
                "wrote " + out.resolve("http-cpu-per-request.png"),
                "skipped http-p99-latency.png: no http rows with a latency_p99_us in " + compare,
                "wrote " + out.resolve("echo-throughput.png"),
                "wrote " + out.resolve("echo-cpu-per-round-trip.png"),
                "wrote " + out.resolve("jmh-echo-round-trips-64B.png"),
                "skipped jmh-echo-round-trips-16KiB.png: no EchoBenchmark.echo:roundTrips results with size=16384 in "
                        + jmh,
                "wrote " + out.resolve("jmh-echo-syscalls.png"),
                "skipped jmh-http.png: no HttpBenchmark.get:roundTrips results with route=GET_ROOT in " + jmh,
                "skipped jmh-epoll-mode.png: no EpollModeBenchmark.readCycle or .waitWithUnreadData results in " + jmh,
                "skipped jmh-crossing.png: no CrossingBenchmark results in " + jmh);
        for (String fileName : List.of("http-throughput.png", "http-cpu-per-request.png", "echo-throughput.png",
                "echo-cpu-per-round-trip.png", "jmh-echo-round-trips-64B.png", "jmh-echo-syscalls.png")) {
            assertIsAChartPng(out.resolve(fileName));
        }
        assertThat(out.resolve("jmh-http.png")).doesNotExist();
    }

    @Test
    @Timeout(60)
    void aFullJmhRunGivesEveryJmhChart() throws Exception {
        Path out = dir.resolve("charts");

        int exit = run("--jmh", write("jmh.csv", fullJmhRun()).toString(), "--out", out.toString());

        assertThat(exit).isZero();
        assertThat(printed.toString()).contains("skipped http-throughput.png: no --compare file given");
        for (String fileName : JMH_CHARTS) {
            assertIsAChartPng(out.resolve(fileName));
        }
        for (String fileName : LOAD_RUN_CHARTS) {
            assertThat(out.resolve(fileName)).doesNotExist();
        }
    }

    @Test
    @Timeout(60)
    void theSummaryAloneNeedsNoOutputDirectory() throws Exception {
        int exit = run("--compare", write("compare.csv", loadRun()).toString(), "--summary");

        assertThat(exit).isZero();
        assertThat(printed.toString()).startsWith("medians per benchmark, mode, connections and server")
                .contains("  http       plain          64  jepoll-et  200,000  100,000-300,000")
                .doesNotContain("wrote");
    }

    @Test
    @Timeout(60)
    void aMalformedLineIsNamedAndNothingIsWritten() throws Exception {
        Path compare = write("compare.csv", loadRun() + "echo,ping64,netty,4,64,12x,3,,,,0\n");
        Path out = dir.resolve("charts");

        int exit = run("--compare", compare.toString(), "--jmh", JmhChartsTest.sample().toString(),
                "--out", out.toString());

        assertThat(exit).isEqualTo(Charts.BAD_INPUT);
        assertThat(err.toString()).isEqualTo("charts: " + compare + " line " + (loadRun().lines().count() + 1)
                + ": requests_per_second is '12x', not a number" + System.lineSeparator());
        assertThat(out).doesNotExist();
    }

    @Test
    @Timeout(60)
    void aMissingFileExitsTwoAndInputsWithoutChartedDataExitOne() throws Exception {
        Path missing = dir.resolve("missing.csv");
        assertThat(run("--jmh", missing.toString(), "--out", dir.resolve("charts").toString()))
                .isEqualTo(Charts.BAD_INPUT);
        assertThat(err.toString()).isEqualTo("charts: " + missing + ": no such file" + System.lineSeparator());

        assertThat(run("--jmh", write("jmh.csv", JmhChartsTest.FULL_HEADER).toString(),
                "--out", dir.resolve("charts").toString())).isEqualTo(Charts.FAILURE);
        assertThat(err.toString()).contains("charts: no chart written");
    }

    private int run(String... args) {
        CommandLine commandLine = Charts.commandLine();
        commandLine.setOut(new PrintWriter(printed, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    private static void assertIsAChartPng(Path file) throws Exception {
        BufferedImage image = ImageIO.read(file.toFile());
        assertThat(image).as(file.toString()).isNotNull();
        assertThat(image.getWidth()).as(file.toString()).isEqualTo(ChartRenderer.WIDTH);
        assertThat(image.getHeight()).as(file.toString()).isEqualTo(ChartRenderer.HEIGHT);
    }

    /** Three rounds of three servers; the floor has no server CPU, nginx no system call count. */
    private static String loadRun() {
        StringBuilder csv = new StringBuilder(LoadRunChartsTest.HEADER);
        for (int round = 1; round <= 3; round++) {
            for (String server : List.of("jepoll-et", "nginx", "floor")) {
                String cpu = server.equals("floor") ? "" : String.valueOf(4 + round);
                String counts = server.equals("jepoll-et") ? "2.5,2.5" : ",";
                for (String benchmarkAndMode : List.of("http,plain", "http,pipeline16", "echo,ping64")) {
                    csv.append(String.join(",", benchmarkAndMode, server, String.valueOf(round), "64",
                            String.valueOf(100_000 * round), cpu, counts, "60", "0")).append('\n');
                }
            }
        }
        return csv.toString();
    }

    /** One row of every result the JMH charts are drawn from, with the header of a full run. */
    private static String fullJmhRun() {
        StringBuilder csv = new StringBuilder(JmhChartsTest.FULL_HEADER);
        String p = "\"io.jepoll.benchmarks.";
        String echo = p + "EchoBenchmark.echo:";
        for (String transport : List.of("EPOLL_ET", "EPOLL_LT", "NIO", "BLOCKING")) {
            for (String connections : List.of("1", "64", "1000")) {
                for (String size : List.of("64", "16384")) {
                    String params = "," + connections + ",,,,," + size + "," + transport + "\n";
                    csv.append(echo).append("roundTrips\",\"thrpt\",1,5,5e4,NaN,\"ops/s\"").append(params)
                            .append(echo).append("syscallsPerOp\",\"thrpt\",1,5,2.1,NaN,\"#\"").append(params);
                }
            }
            for (String pipeline : List.of("1", "16")) {
                csv.append(p).append("HttpBenchmark.get:roundTrips\",\"thrpt\",1,5,80000,NaN,\"ops/s\",64,,,")
                        .append(pipeline).append(",GET_ROOT,,").append(transport).append('\n');
            }
        }
        for (String method : List.of("readCycle", "waitWithUnreadData")) {
            for (String mode : List.of("LT", "ET")) {
                for (String fds : List.of("1", "64", "1024")) {
                    csv.append(p).append("EpollModeBenchmark.").append(method).append("\",\"avgt\",1,5,")
                            .append(Integer.parseInt(fds) * 0.7).append(",NaN,\"us/op\",,").append(fds).append(',')
                            .append(mode).append(",,,,\n");
                }
            }
        }
        for (String method : List.of("jnaNoOp", "jnaEpollWaitOnEmptySet", "nioSelectNowOnEmptySet")) {
            csv.append(p).append("CrossingBenchmark.").append(method)
                    .append("\",\"avgt\",1,5,120.5,2.5,\"ns/op\",,,,,,,\n");
        }
        return csv.toString();
    }

    private Path write(String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content);
    }
}
