package io.jepoll.benchmarks.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Reading the side-by-side load run's CSV and summing its rounds up. */
class LoadRunTest {

    static final String HEADER = String.join(",", LoadRunCsv.HEADER) + "\n";

    @TempDir
    Path dir;

    @Test
    @Timeout(10)
    void roundsAreGroupedByBenchmarkModeAndServerIntoMedians() throws Exception {
        LoadRunSummary summary = summary(HEADER
                + "http,plain,netty,1,64,100,5,,,0\n"
                + "http,plain,netty,2,64,300,7,,,0\n"
                + "http,plain,netty,3,64,200,6,,,0\n"
                + "http,pipeline16,netty,1,64,1000,2,,,0\n"
                + "http,pipeline16,netty,2,64,2000,4,,,0\n"
                + "echo,ping64,netty,1,64,50,9,,,0\n");

        assertThat(summary.median("http", "plain", "netty", LoadRun::requestsPerSecond)).hasValue(200);
        assertThat(summary.median("http", "plain", "netty", LoadRun::cpuMicrosPerRequest)).hasValue(6);
        assertThat(summary.median("http", "pipeline16", "netty", LoadRun::requestsPerSecond)).hasValue(1500);
        assertThat(summary.median("echo", "ping64", "netty", LoadRun::requestsPerSecond)).hasValue(50);
        assertThat(summary.median("echo", "plain", "netty", LoadRun::requestsPerSecond)).isEmpty();
        assertThat(summary.roundCounts("http")).containsExactly(2L, 3L);
        assertThat(summary.roundCounts("echo")).containsExactly(1L);
    }

    @Test
    @Timeout(10)
    void emptyFieldsAreAbsentNotZero() throws Exception {
        LoadRunSummary summary = summary(HEADER
                + "http,plain,floor,1,64,900,,,,0\n"
                + "http,plain,nginx,1,64,500,4,,,0\n"
                + "http,plain,nginx,2,64,,8,,,0\n"
                + "http,plain,nginx,3,64,700,,,,0\n");

        assertThat(summary.median("http", "plain", "floor", LoadRun::cpuMicrosPerRequest)).isEmpty();
        assertThat(summary.median("http", "plain", "nginx", LoadRun::requestsPerSecond)).as("of 500 and 700").hasValue(600);
        assertThat(summary.median("http", "plain", "nginx", LoadRun::cpuMicrosPerRequest)).as("of 4 and 8").hasValue(6);
    }

    @Test
    @Timeout(10)
    void serversAndModesKeepTheOrderTheFileFirstNamesThem() throws Exception {
        LoadRunSummary summary = summary(HEADER
                + "http,plain,nginx,1,64,1,1,,,0\n"
                + "http,plain,jepoll-et,1,64,1,1,,,0\n"
                + "echo,ping64,floor,1,64,1,1,,,0\n"
                + "http,pipeline16,netty,1,64,1,1,,,0\n"
                + "http,plain,netty,1,64,1,1,,,0\n"
                + "http,plain,nginx,2,64,1,1,,,0\n");

        assertThat(summary.servers("http")).containsExactly("nginx", "jepoll-et", "netty");
        assertThat(summary.modes("http")).containsExactly("plain", "pipeline16");
        assertThat(summary.servers("echo")).containsExactly("floor");
        assertThat(summary.connections("http")).containsExactly("64");
    }

    @Test
    @Timeout(10)
    void theHeaderMustBeExactlyTheLoadRunsOne() throws Exception {
        Path file = write("benchmark,mode,server,round\nhttp,plain,netty,1\n");

        assertThatThrownBy(() -> LoadRunCsv.read(file)).isInstanceOf(ChartInputException.class)
                .hasMessage(file + " line 1: expected the header " + HEADER.strip());
    }

    @Test
    @Timeout(10)
    void aBadValueIsReportedWithItsLineAndColumn() throws Exception {
        Path file = write(HEADER + "http,plain,netty,1,64,100,5,,,0\nhttp,plain,netty,2,64,fast,5,,,0\n");

        assertThatThrownBy(() -> LoadRunCsv.read(file)).isInstanceOf(ChartInputException.class)
                .hasMessage(file + " line 3: requests_per_second is 'fast', not a number");
    }

    @Test
    @Timeout(10)
    void aRoundGivenTwiceIsRefused() throws Exception {
        Path file = write(HEADER + "http,plain,netty,1,64,100,5,,,0\nhttp,plain,netty,1,64,200,5,,,0\n");

        assertThatThrownBy(() -> LoadRunCsv.read(file)).isInstanceOf(ChartInputException.class)
                .hasMessage(file + " line 3: round 1 of http plain netty again (first on line 2)");
    }

    private LoadRunSummary summary(String csv) throws Exception {
        List<LoadRun> runs = LoadRunCsv.read(write(csv));
        return new LoadRunSummary(runs);
    }

    private Path write(String content) throws Exception {
        return Files.writeString(dir.resolve("compare.csv"), content);
    }
}
