package io.jepoll.benchmarks.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jepoll.benchmarks.charts.ChartSpec.Series;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Reading JMH's CSV results and laying them out for the charts. */
class JmhChartsTest {

    /** The header of a full run: the union of every benchmark's parameters, in JMH's (alphabetical) order. */
    static final String FULL_HEADER = "\"Benchmark\",\"Mode\",\"Threads\",\"Samples\",\"Score\","
            + "\"Score Error (99.9%)\",\"Unit\",\"Param: connections\",\"Param: fds\",\"Param: mode\","
            + "\"Param: pipeline\",\"Param: route\",\"Param: size\",\"Param: transport\"\n";

    @TempDir
    Path dir;

    @Test
    @Timeout(10)
    void theSampleGivesTheSmallMessageChartsByTransportAndConnections() throws Exception {
        List<JmhCharts.Result> results = JmhCharts.read(sample());
        assertThat(results).hasSize(24);
        assertThat(results.get(0).params())
                .isEqualTo(Map.of("connections", "1", "size", "64", "transport", "EPOLL_ET"));

        Map<String, ChartSpec> charts = byFileName(new JmhCharts(results).specs());

        ChartSpec roundTrips = charts.get("jmh-echo-round-trips-64B.png");
        assertThat(roundTrips.categories()).containsExactly("1", "64");
        assertThat(roundTrips.series()).containsExactly(new Series("EPOLL_ET", List.of(5369.383750, 62842.733723)),
                new Series("EPOLL_LT", List.of(6805.945865, 50711.120275)));
        assertThat(charts.get("jmh-echo-syscalls.png").hasData()).isTrue();
        assertThat(charts.get("jmh-echo-round-trips-16KiB.png").hasData()).isFalse();
        assertThat(charts.get("jmh-http.png").hasData()).isFalse();
    }

    @Test
    @Timeout(10)
    void theHttpChartShowsGetOnlyAndTakesResultsFromBeforeTheRouteParameterAsGet() throws Exception {
        String get = "\"io.jepoll.benchmarks.HttpBenchmark.get:roundTrips\",\"thrpt\",1,5,";
        Path withRoutes = write(FULL_HEADER
                + get + "1000,NaN,\"ops/s\",64,,,1,GET_ROOT,,NIO\n"
                + get + "700,NaN,\"ops/s\",64,,,1,POST_ECHO,,NIO\n"
                + get + "9000,NaN,\"ops/s\",64,,,16,GET_ROOT,,NIO\n");
        Path beforeRoutes = write("\"Benchmark\",\"Mode\",\"Threads\",\"Samples\",\"Score\",\"Score Error (99.9%)\","
                + "\"Unit\",\"Param: connections\",\"Param: pipeline\",\"Param: transport\"\n"
                + get + "1000,NaN,\"ops/s\",64,1,NIO\n");

        ChartSpec http = byFileName(new JmhCharts(JmhCharts.read(withRoutes)).specs()).get("jmh-http.png");
        assertThat(http.categories()).containsExactly("NIO");
        assertThat(http.series()).containsExactly(new Series("pipeline 1", List.of(1000.0)),
                new Series("pipeline 16", List.of(9000.0)));
        assertThat(http.title()).contains("64 connections");
        assertThat(byFileName(new JmhCharts(JmhCharts.read(beforeRoutes)).specs()).get("jmh-http.png").series())
                .containsExactly(new Series("pipeline 1", List.of(1000.0)));
    }

    @Test
    @Timeout(10)
    void theEpollModeChartHasBothMethodsAndTheCrossingChartLeavesSecondaryResultsOut() throws Exception {
        String mode = "\"io.jepoll.benchmarks.EpollModeBenchmark.";
        String crossing = "\"io.jepoll.benchmarks.CrossingBenchmark.";
        Path file = write(FULL_HEADER
                + mode + "readCycle\",\"avgt\",1,5,1.5,NaN,\"us/op\",,1024,LT,,,,\n"
                + mode + "readCycle\",\"avgt\",1,5,0.5,NaN,\"us/op\",,1,LT,,,,\n"
                + mode + "waitWithUnreadData\",\"avgt\",1,5,0.2,NaN,\"us/op\",,1,ET,,,,\n"
                + crossing + "jnaNoOp\",\"avgt\",1,5,20.5,0.3,\"ns/op\",,,,,,,\n"
                + crossing + "jnaNoOp:gc.alloc.rate\",\"avgt\",1,5,0.1,NaN,\"MB/sec\",,,,,,,\n");

        Map<String, ChartSpec> charts = byFileName(new JmhCharts(JmhCharts.read(file)).specs());

        ChartSpec epollMode = charts.get("jmh-epoll-mode.png");
        assertThat(epollMode.categories()).as("numbers ascending").containsExactly("1", "1024");
        assertThat(epollMode.series()).containsExactly(new Series("readCycle LT", List.of(0.5, 1.5)),
                new Series("waitWithUnreadData ET", Arrays.asList(0.2, null)));
        assertThat(charts.get("jmh-crossing.png").series()).containsExactly(new Series("ns per call", List.of(20.5)));
    }

    @Test
    @Timeout(10)
    void aResultInAnotherUnitThanItsChartIsRefusedWithItsLine() throws Exception {
        Path file = write(FULL_HEADER
                + "\"io.jepoll.benchmarks.EpollModeBenchmark.readCycle\",\"avgt\",1,5,1500,NaN,\"ns/op\",,1,LT,,,,\n");

        assertThatThrownBy(() -> new JmhCharts(JmhCharts.read(file)).specs()).isInstanceOf(ChartInputException.class)
                .hasMessage(file + " line 2: io.jepoll.benchmarks.EpollModeBenchmark.readCycle is in ns/op,"
                        + " but its chart is in us/op");
    }

    @Test
    @Timeout(10)
    void textValuesKeepTheirFirstOrder() {
        assertThat(JmhCharts.ordered(List.of("NIO", "EPOLL_ET", "NIO"))).containsExactly("NIO", "EPOLL_ET");
    }

    static Path sample() throws Exception {
        return Path.of(JmhChartsTest.class.getResource("sample-jmh.csv").toURI());
    }

    private static Map<String, ChartSpec> byFileName(List<ChartSpec> specs) {
        return specs.stream().collect(Collectors.toMap(ChartSpec::fileName, spec -> spec));
    }

    private Path write(String content) throws Exception {
        return Files.writeString(dir.resolve("jmh-" + content.hashCode() + ".csv"), content);
    }
}
