package io.jepoll.benchmarks.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Reading JMH's CSV results and looking them up for the charts. */
class JmhResultsTest {

    static final String ECHO_ROUND_TRIPS = "io.jepoll.benchmarks.EchoBenchmark.echo:roundTrips";
    /** The header of a full run: the union of every benchmark's parameters. */
    static final String FULL_HEADER = "\"Benchmark\",\"Mode\",\"Threads\",\"Samples\",\"Score\",\"Score Error (99.9%)\","
            + "\"Unit\",\"Param: connections\",\"Param: fds\",\"Param: mode\",\"Param: pipeline\",\"Param: size\","
            + "\"Param: transport\"\n";

    @TempDir
    Path dir;

    @Test
    @Timeout(10)
    void theSampleIsReadWithTheParamColumnsItHas() throws Exception {
        List<JmhRow> rows = JmhCsv.read(sample());

        assertThat(rows).hasSize(24);
        assertThat(rows.get(0).benchmark()).isEqualTo("io.jepoll.benchmarks.EchoBenchmark.echo");
        assertThat(rows.get(0).unit()).isEqualTo("ops/s");
        assertThat(rows.get(0).params()).isEqualTo(Map.of("connections", "1", "size", "64", "transport", "EPOLL_ET"));

        ScoreTable table = new JmhResults(rows)
                .table(ECHO_ROUND_TRIPS, "ops/s", Map.of("size", "64"), "transport", "connections");
        assertThat(table.seriesValues()).containsExactly("EPOLL_ET", "EPOLL_LT");
        assertThat(table.categoryValues()).containsExactly("1", "64");
        assertThat(table.score("EPOLL_ET", "64")).hasValue(62842.733723);
        assertThat(table.score("NIO", "64")).isEmpty();
    }

    @Test
    @Timeout(10)
    void emptyParamColumnsAreParametersTheBenchmarkDoesNotHave() throws Exception {
        JmhResults results = new JmhResults(JmhCsv.read(write(FULL_HEADER
                + "\"io.jepoll.benchmarks.CrossingBenchmark.jnaNoOp\",\"avgt\",1,5,20.5,0.3,\"ns/op\",,,,,,\n"
                + "\"io.jepoll.benchmarks.CrossingBenchmark.jnaNoOp:gc.alloc.rate\",\"avgt\",1,5,0.1,NaN,\"MB/sec\",,,,,,\n"
                + "\"io.jepoll.benchmarks.CrossingBenchmark.nioSelectNowOnEmptySet\",\"avgt\",1,5,80,1,\"ns/op\",,,,,,\n"
                + "\"io.jepoll.benchmarks.EpollModeBenchmark.readCycle\",\"avgt\",1,5,1.5,NaN,\"us/op\",,1,LT,,,\n")));

        assertThat(results.methodScores("io.jepoll.benchmarks.CrossingBenchmark", "ns/op"))
                .as("secondary results left out").containsExactly(Map.entry("jnaNoOp", 20.5),
                        Map.entry("nioSelectNowOnEmptySet", 80.0));
        assertThat(results.paramValues("io.jepoll.benchmarks.EpollModeBenchmark.readCycle", "transport")).isEmpty();
        assertThat(results.paramValues("io.jepoll.benchmarks.EpollModeBenchmark.readCycle", "mode"))
                .containsExactly("LT");
    }

    @Test
    @Timeout(10)
    void numericParameterValuesAreOrderedAscendingAndOthersAsListed() {
        assertThat(JmhResults.ordered(List.of("1000", "1", "64", "1"))).containsExactly("1", "64", "1000");
        assertThat(JmhResults.ordered(List.of("NIO", "EPOLL_ET", "NIO"))).containsExactly("NIO", "EPOLL_ET");
    }

    @Test
    @Timeout(10)
    void aResultInAnotherUnitThanTheChartIsRefused() throws Exception {
        Path file = write(FULL_HEADER
                + "\"io.jepoll.benchmarks.EpollModeBenchmark.readCycle\",\"avgt\",1,5,1500,NaN,\"ns/op\",,1,LT,,,\n");
        JmhResults results = new JmhResults(JmhCsv.read(file));

        assertThatThrownBy(() -> results.table("io.jepoll.benchmarks.EpollModeBenchmark.readCycle", "us/op", Map.of(),
                "mode", "fds")).isInstanceOf(ChartInputException.class).hasMessage(file
                + " line 2: io.jepoll.benchmarks.EpollModeBenchmark.readCycle is in ns/op, but its chart is drawn in us/op");
    }

    @Test
    @Timeout(10)
    void twoResultsForOnePlaceOnTheChartAreRefused() throws Exception {
        String get = "\"io.jepoll.benchmarks.HttpBenchmark.get:roundTrips\",\"thrpt\",1,5,";
        Path file = write(FULL_HEADER + get + "1000,NaN,\"ops/s\",64,,,1,,NIO\n" + get + "900,NaN,\"ops/s\",128,,,1,,NIO\n");
        JmhResults results = new JmhResults(JmhCsv.read(file));

        assertThatThrownBy(() -> results.table("io.jepoll.benchmarks.HttpBenchmark.get:roundTrips", "ops/s", Map.of(),
                "pipeline", "transport")).isInstanceOf(ChartInputException.class)
                .hasMessageStartingWith(file + " line 3: ").hasMessageContaining("(first on line 2)");
    }

    @Test
    @Timeout(10)
    void aFileThatIsNotJmhCsvIsRefusedAtItsHeader() throws Exception {
        Path file = write("Benchmark,Mode,Score\nx,thrpt,1\n");

        assertThatThrownBy(() -> JmhCsv.read(file)).isInstanceOf(ChartInputException.class)
                .hasMessageStartingWith(file + " line 1: expected JMH's CSV header");
    }

    static Path sample() throws Exception {
        return Path.of(JmhResultsTest.class.getResource("sample-jmh.csv").toURI());
    }

    private Path write(String content) throws Exception {
        return Files.writeString(dir.resolve("jmh.csv"), content);
    }
}
