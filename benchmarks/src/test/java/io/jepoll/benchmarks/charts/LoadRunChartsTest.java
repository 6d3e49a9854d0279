package io.jepoll.benchmarks.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jepoll.benchmarks.charts.LoadRunCharts.Group;
import io.jepoll.benchmarks.charts.LoadRunCharts.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Reading the side-by-side load run's CSV, its medians, and the titles of its charts. */
class LoadRunChartsTest {

    static final String HEADER = LoadRunCharts.HEADER + "\n";
    static final String NEW_HEADER = LoadRunCharts.HEADER + "," + String.join(",", LoadRunCharts.LATER_COLUMNS) + "\n";

    @TempDir
    Path dir;

    @Test
    @Timeout(10)
    void theMedianIsTheMiddleValueOrTheMeanOfTheTwoMiddleOnes() {
        assertThat(LoadRunCharts.median(List.of(30.0, 10.0, 20.0))).isEqualTo(20.0);
        assertThat(LoadRunCharts.median(List.of(40.0, 10.0, 30.0, 20.0))).isEqualTo(25.0);
        assertThat(LoadRunCharts.median(List.of(5.0))).isEqualTo(5.0);
    }

    @Test
    @Timeout(10)
    void runsAreGroupedInFileOrderAndTheirMediansLeaveRunsWithErrorsOut() throws Exception {
        List<Group> groups = LoadRunCharts.group(read(HEADER
                + "http,plain,nginx,1,64,100,5,,,50,0\n"
                + "http,plain,jepoll-et,1,64,900,1,2.5,2.5,60,0\n"
                + "http,plain,nginx,2,64,300,7,,,50,0\n"
                + "http,plain,nginx,3,64,5,99,,,50,server-died\n"
                + "http,pipeline16,nginx,1,64,1000,2,,,50,17\n"
                + "http,pipeline16,nginx,2,64,2000,4,,,50,wrk-failed\n"
                + "http,plain,nginx,4,64,200,6,,,50,0\n"));

        assertThat(groups).extracting(group -> group.mode() + " " + group.server())
                .containsExactly("plain nginx", "plain jepoll-et", "pipeline16 nginx");
        Group plainNginx = groups.get(0);
        assertThat(plainNginx.median(Run::requestsPerSecond)).as("of 100, 300, 200").hasValue(200);
        assertThat(plainNginx.median(Run::cpuMicrosPerRequest)).hasValue(6);
        assertThat(plainNginx.noCleanRun()).isFalse();
        Group pipelinedNginx = groups.get(2);
        assertThat(pipelinedNginx.noCleanRun()).isTrue();
        assertThat(pipelinedNginx.median(Run::requestsPerSecond)).as("of all its runs").hasValue(1500);
    }

    @Test
    @Timeout(10)
    void emptyFieldsAreAbsentNotZero() throws Exception {
        Group nginx = LoadRunCharts.group(read(HEADER
                + "http,plain,nginx,1,64,500,4,,,,0\n"
                + "http,plain,nginx,2,64,,8,,,,0\n"
                + "http,plain,nginx,3,64,700,,,,,0\n")).get(0);

        assertThat(nginx.median(Run::requestsPerSecond)).as("of 500 and 700").hasValue(600);
        assertThat(nginx.median(Run::cpuMicrosPerRequest)).as("of 4 and 8").hasValue(6);
        assertThat(nginx.median(Run::syscallsPerRequest)).isEmpty();
        assertThat(nginx.median(Run::loadCpuPercent)).isEmpty();
    }

    @Test
    @Timeout(10)
    void chartsKeepTheServerOrderAndSayWhatTheMediansAreOf() throws Exception {
        List<ChartSpec> specs = LoadRunCharts.specs(LoadRunCharts.group(read(HEADER
                + "http,plain,nginx,1,64,100,5,,,50,0\n"
                + "http,plain,floor,1,64,100,,,,50,0\n"
                + "http,plain,nginx,2,64,100,5,,,50,0\n"
                + "http,plain,floor,2,64,100,,,,50,server-died\n"
                + "http,pipeline16,floor,1,64,100,,,,50,wrk-failed\n")));

        ChartSpec throughput = specs.get(0);
        assertThat(throughput.fileName()).isEqualTo("http-throughput.png");
        assertThat(throughput.categories()).containsExactly("nginx", "floor");
        assertThat(throughput.title())
                .isEqualTo("HTTP throughput (higher is better) — 64 connections, median of 1–2 rounds");
        assertThat(throughput.series()).extracting(ChartSpec.Series::name).containsExactly(
                "plain (one request at a time)", "16-deep pipelined (runs had errors: floor)");
        assertThat(specs.get(1).categories()).as("the floor has no CPU figure").containsExactly("nginx");
        assertThat(specs.get(2).hasData()).as("no echo rows").isFalse();
    }

    @Test
    @Timeout(10)
    void aValueThatIsNotANumberIsReportedWithItsLine() throws Exception {
        Path file = write(HEADER + "http,plain,netty,1,64,100,5,,,,0\nhttp,plain,netty,2,64,fast,5,,,,0\n");

        assertThatThrownBy(() -> LoadRunCharts.read(file)).isInstanceOf(ChartInputException.class)
                .hasMessage(file + " line 3: requests_per_second is 'fast', not a number");
    }

    @Test
    @Timeout(10)
    void aRowWithTheWrongFieldCountOrAnotherHeaderIsRefused() throws Exception {
        Path shortRow = write(HEADER + "\nhttp,plain,netty,1,64,100,5,,,0\n");
        assertThatThrownBy(() -> LoadRunCharts.read(shortRow))
                .hasMessage(shortRow + " line 3: 10 fields, but the header has 11");

        Path oldHeader = write("benchmark,mode,server,round\nhttp,plain,netty,1\n");
        assertThatThrownBy(() -> LoadRunCharts.read(oldHeader))
                .hasMessage(oldHeader + ": expected a header starting with " + LoadRunCharts.HEADER);
    }

    @Test
    @Timeout(10)
    void theLaterColumnsGiveTheLatencyAndTheSocketErrorsAndACsvWithoutThemStillReads() throws Exception {
        List<Run> runs = read(NEW_HEADER
                + "http,plain,jepoll-et@25/ffm,1,1000,100,5,,,50,0,25,ffm,700.5,1200,5,0,0,0,0\n"
                + "http,plain,jepoll-et@25/ffm,2,1000,100,5,,,50,15,25,ffm,900,5000,5,0,3,0,12\n");

        assertThat(runs.get(0).p50Micros()).hasValue(700.5);
        assertThat(runs.get(0).p99Micros()).hasValue(1200);
        assertThat(runs.get(0).socketErrors()).isEmpty();
        assertThat(runs.get(1).socketErrors()).isEqualTo("read 3, timeout 12");
        assertThat(LoadRunCharts.group(runs).get(0).median(Run::p99Micros)).as("of the clean run").hasValue(1200);
        Run old = read(HEADER + "http,plain,nginx,1,64,500,4,,,,0\n").get(0);
        assertThat(old.p99Micros()).isEmpty();
        assertThat(old.socketErrors()).isEmpty();
    }

    @Test
    @Timeout(10)
    void eachConnectionCountIsAGroupAndAChartOfItsOwnWithTheServersLabelsAsCategories() throws Exception {
        List<Group> groups = LoadRunCharts.group(read(NEW_HEADER
                + "http,plain,jepoll-et@17/jna,1,64,900,10,,,50,0,17,jna,500,900,5,0,0,0,0\n"
                + "http,plain,jepoll-et@25/ffm,1,64,950,9,,,50,0,25,ffm,500,800,5,0,0,0,0\n"
                + "http,plain,floor,1,64,990,8,,,50,0,,,400,700,5,0,0,0,0\n"
                + "http,plain,jepoll-et@17/jna,1,10000,800,20,,,50,0,17,jna,5000,9000,5,0,0,0,0\n"
                + "http,plain,floor,1,10000,850,17,,,50,0,,,4000,8000,5,0,0,0,0\n"
                + "echo,ping64,echo-floor,1,64,400,7,,,30,0,,,100,200,,,,,\n"));

        assertThat(groups).extracting(group -> group.connections() + " " + group.server()).containsExactly(
                "64 jepoll-et@17/jna", "64 jepoll-et@25/ffm", "64 floor", "10000 jepoll-et@17/jna", "10000 floor",
                "64 echo-floor");
        List<ChartSpec> specs = LoadRunCharts.specs(groups);
        assertThat(specs).extracting(ChartSpec::fileName).containsExactly(
                "http-throughput-64c.png", "http-cpu-per-request-64c.png", "http-p99-latency-64c.png",
                "echo-throughput-64c.png", "echo-cpu-per-round-trip-64c.png",
                "http-throughput-10000c.png", "http-cpu-per-request-10000c.png", "http-p99-latency-10000c.png",
                "echo-throughput-10000c.png", "echo-cpu-per-round-trip-10000c.png");
        ChartSpec p99At64 = specs.get(2);
        assertThat(p99At64.categories()).containsExactly("jepoll-et@17/jna", "jepoll-et@25/ffm", "floor");
        assertThat(p99At64.series().get(0).values()).containsExactly(900.0, 800.0, 700.0);
        assertThat(p99At64.title()).isEqualTo("HTTP p99 latency (lower is better) — 64 connections, median of 1 round");
        assertThat(specs.get(6).categories()).containsExactly("jepoll-et@17/jna", "floor");
        assertThat(specs.get(8).hasData()).as("no echo at 10000").isFalse();
    }

    private List<Run> read(String csv) throws Exception {
        return LoadRunCharts.read(write(csv));
    }

    private Path write(String content) throws Exception {
        return Files.writeString(dir.resolve("compare.csv"), content);
    }
}
