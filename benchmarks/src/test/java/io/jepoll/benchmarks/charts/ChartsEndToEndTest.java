package io.jepoll.benchmarks.charts;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** From CSV files to PNG files, through the same calls the command makes. */
class ChartsEndToEndTest {

    private static final List<String> LOAD_RUN_CHARTS = List.of("http-throughput.png", "http-cpu-per-request.png",
            "echo-throughput.png", "echo-cpu-per-round-trip.png");
    private static final List<String> JMH_CHARTS = List.of("jmh-echo-round-trips-64B.png",
            "jmh-echo-round-trips-16KiB.png", "jmh-echo-syscalls.png", "jmh-http.png", "jmh-epoll-mode.png",
            "jmh-crossing.png");

    @TempDir
    Path dir;

    @Test
    @Timeout(60)
    void theLoadRunAndTheSampleGiveTheChartsTheirDataAllows() throws Exception {
        Path out = dir.resolve("charts");

        List<ChartOutcome> outcomes = ChartGeneration.generate(Optional.of(write("compare.csv", loadRun())),
                Optional.of(JmhResultsTest.sample()), out);

        assertWritten(outcomes, out, Stream.concat(LOAD_RUN_CHARTS.stream(),
                Stream.of("jmh-echo-round-trips-64B.png", "jmh-echo-syscalls.png")).toList());
        assertSkipped(outcomes, out, List.of("jmh-echo-round-trips-16KiB.png", "jmh-http.png", "jmh-epoll-mode.png",
                "jmh-crossing.png"));
        assertThat(outcomes).filteredOn(ChartOutcome.Skipped.class::isInstance).extracting(ChartOutcome::line)
                .contains("skipped jmh-crossing.png: no CrossingBenchmark results in " + JmhResultsTest.sample());
    }

    @Test
    @Timeout(60)
    void aFullJmhRunGivesEveryJmhChartAndNoLoadRunOne() throws Exception {
        Path out = dir.resolve("charts");

        List<ChartOutcome> outcomes = ChartGeneration.generate(Optional.empty(),
                Optional.of(write("jmh.csv", fullJmhRun())), out);

        assertWritten(outcomes, out, JMH_CHARTS);
        assertSkipped(outcomes, out, LOAD_RUN_CHARTS);
        assertThat(outcomes).filteredOn(ChartOutcome.Skipped.class::isInstance).extracting(ChartOutcome::line)
                .contains("skipped http-throughput.png: no --compare file given");
    }

    @Test
    @Timeout(60)
    void theCommandPrintsOneLinePerChartAndExitsZero() throws Exception {
        Path out = dir.resolve("charts");
        StringWriter printed = new StringWriter();

        int exit = run(printed, new StringWriter(), "--compare", write("compare.csv", loadRun()).toString(),
                "--out", out.toString());

        assertThat(exit).isZero();
        assertThat(printed.toString().lines().toList()).hasSize(LOAD_RUN_CHARTS.size() + JMH_CHARTS.size())
                .contains("wrote " + out.resolve("http-throughput.png"), "skipped jmh-http.png: no --jmh file given");
    }

    @Test
    @Timeout(60)
    void aMalformedFileExitsTwoWithOneLineNamingItsLineAndWritesNothing() throws Exception {
        Path compare = write("compare.csv", loadRun() + "echo,ping64,netty,4,64,12x,3,,,0\n");
        Path out = dir.resolve("charts");
        StringWriter err = new StringWriter();

        int exit = run(new StringWriter(), err, "--compare", compare.toString(), "--jmh",
                JmhResultsTest.sample().toString(), "--out", out.toString());

        int badLine = (int) loadRun().lines().count() + 1;
        assertThat(exit).isEqualTo(Charts.BAD_INPUT);
        assertThat(err.toString()).isEqualTo("charts: " + compare + " line " + badLine
                + ": requests_per_second is '12x', not a number" + System.lineSeparator());
        assertThat(out).doesNotExist();
    }

    @Test
    @Timeout(60)
    void aMissingFileExitsTwo() throws Exception {
        Path missing = dir.resolve("missing.csv");
        StringWriter err = new StringWriter();

        int exit = run(new StringWriter(), err, "--jmh", missing.toString(), "--out", dir.resolve("charts").toString());

        assertThat(exit).isEqualTo(Charts.BAD_INPUT);
        assertThat(err.toString()).isEqualTo("charts: " + missing + ": no such file" + System.lineSeparator());
    }

    @Test
    @Timeout(60)
    void inputsWithNoneOfTheChartedDataExitOne() throws Exception {
        Path jmh = write("jmh.csv", JmhResultsTest.FULL_HEADER);
        StringWriter printed = new StringWriter();
        StringWriter err = new StringWriter();

        int exit = run(printed, err, "--jmh", jmh.toString(), "--out", dir.resolve("charts").toString());

        assertThat(exit).isEqualTo(Charts.FAILURE);
        assertThat(printed.toString()).doesNotContain("wrote");
        assertThat(err.toString()).startsWith("charts: no chart written");
    }

    @Test
    @Timeout(60)
    void anOutputDirectoryThatCannotBeMadeExitsOne() throws Exception {
        Path notADirectory = write("charts", "a file where the directory would go");
        StringWriter err = new StringWriter();

        int exit = run(new StringWriter(), err, "--jmh", JmhResultsTest.sample().toString(),
                "--out", notADirectory.toString());

        assertThat(exit).isEqualTo(Charts.FAILURE);
        assertThat(err.toString()).startsWith("charts: cannot write the charts into " + notADirectory);
    }

    private static int run(StringWriter out, StringWriter err, String... args) {
        CommandLine commandLine = Charts.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    private static void assertWritten(List<ChartOutcome> outcomes, Path out, List<String> fileNames) throws Exception {
        assertThat(outcomes).filteredOn(ChartOutcome.Written.class::isInstance)
                .extracting(outcome -> ((ChartOutcome.Written) outcome).file().getFileName().toString())
                .containsExactlyElementsOf(fileNames);
        for (String fileName : fileNames) {
            BufferedImage image = ImageIO.read(out.resolve(fileName).toFile());
            assertThat(image).as(fileName).isNotNull();
            assertThat(image.getWidth()).as(fileName).isEqualTo(ChartRenderer.WIDTH);
            assertThat(image.getHeight()).as(fileName).isEqualTo(ChartRenderer.HEIGHT);
        }
    }

    private static void assertSkipped(List<ChartOutcome> outcomes, Path out, List<String> fileNames) {
        assertThat(outcomes).filteredOn(ChartOutcome.Skipped.class::isInstance)
                .extracting(outcome -> ((ChartOutcome.Skipped) outcome).fileName())
                .containsExactlyElementsOf(fileNames);
        for (String fileName : fileNames) {
            assertThat(out.resolve(fileName)).doesNotExist();
        }
    }

    /** Three rounds of three servers; the floor has no server CPU, nginx no system call count. */
    private static String loadRun() {
        StringBuilder csv = new StringBuilder(LoadRunTest.HEADER);
        for (int round = 1; round <= 3; round++) {
            for (String server : List.of("jepoll-et", "nginx", "floor")) {
                String cpu = server.equals("floor") ? "" : String.valueOf(4 + round);
                String syscalls = server.equals("jepoll-et") ? "2.5" : "";
                csv.append("http,plain,").append(server).append(',').append(round).append(",64,")
                        .append(100_000 * round).append(',').append(cpu).append(',').append(syscalls).append(",,0\n");
                csv.append("http,pipeline16,").append(server).append(',').append(round).append(",64,")
                        .append(900_000 * round).append(',').append(cpu).append(',').append(syscalls).append(",,0\n");
                csv.append("echo,ping64,").append(server).append(',').append(round).append(",64,")
                        .append(150_000 * round).append(',').append(cpu).append(',').append(syscalls).append(",,0\n");
            }
        }
        return csv.toString();
    }

    /** One row of every result the JMH charts are drawn from, with the header of a full run. */
    private static String fullJmhRun() {
        StringBuilder csv = new StringBuilder(JmhResultsTest.FULL_HEADER);
        String p = "\"io.jepoll.benchmarks.";
        for (String transport : List.of("EPOLL_ET", "EPOLL_LT", "NIO", "BLOCKING")) {
            for (String connections : List.of("1", "64", "1000")) {
                for (String size : List.of("64", "16384")) {
                    String params = "," + connections + ",,,," + size + "," + transport + "\n";
                    csv.append(p).append("EchoBenchmark.echo:roundTrips\",\"thrpt\",1,5,50000.5,NaN,\"ops/s\"").append(params);
                    csv.append(p).append("EchoBenchmark.echo:syscallsPerOp\",\"thrpt\",1,5,2.1,NaN,\"#\"").append(params);
                }
            }
            for (String pipeline : List.of("1", "16")) {
                csv.append(p).append("HttpBenchmark.get:roundTrips\",\"thrpt\",1,5,80000,NaN,\"ops/s\",64,,,")
                        .append(pipeline).append(",,").append(transport).append('\n');
            }
        }
        for (String method : List.of("readCycle", "waitWithUnreadData")) {
            for (String mode : List.of("LT", "ET")) {
                for (String fds : List.of("1", "64", "1024")) {
                    csv.append(p).append("EpollModeBenchmark.").append(method).append("\",\"avgt\",1,5,")
                            .append(Integer.parseInt(fds) * 0.7).append(",NaN,\"us/op\",,").append(fds).append(',')
                            .append(mode).append(",,,\n");
                }
            }
        }
        for (String method : List.of("jnaNoOp", "jnaEpollWaitOnEmptySet", "nioSelectNowOnEmptySet")) {
            csv.append(p).append("CrossingBenchmark.").append(method).append("\",\"avgt\",1,5,120.5,2.5,\"ns/op\",,,,,,\n");
        }
        return csv.toString();
    }

    private Path write(String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content);
    }
}
