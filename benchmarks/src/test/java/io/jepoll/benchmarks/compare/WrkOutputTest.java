package io.jepoll.benchmarks.compare;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WrkOutputTest {

    private static final String PLAIN = """
            Running 5s test @ http://127.0.0.1:18080/
              1 threads and 64 connections
              Thread Stats   Avg      Stdev     Max   +/- Stdev
                Latency   759.27us  120.05us   5.21ms   90.12%
                Req/Sec    84.47k     3.10k   88.92k    80.00%
              420236 requests in 5.00s, 33.26MB read
            Requests/sec:  84047.04
            Transfer/sec:      6.65MB
            """;

    @Test
    void aCleanRunHasItsRequestsAndRateAndNoErrors() {
        WrkOutput output = WrkOutput.parse(PLAIN);

        assertThat(output.requests()).isEqualTo(420236);
        assertThat(output.requestsPerSecond()).contains("84047.04");
        assertThat(output.errorsField()).isEqualTo("0");
        assertThat(output.errorDetail()).isEmpty();
    }

    private static final String WITH_LATENCY = """
            Running 5s test @ http://127.0.0.1:18080/
              1 threads and 1000 connections
              Thread Stats   Avg      Stdev     Max   +/- Stdev
                Latency    11.27ms    2.05ms   1.02s    90.12%
                Req/Sec    84.47k     3.10k   88.92k    80.00%
              Latency Distribution
                 50%  635.91us
                 75%  712.00us
                 90%  800.00us
                 99%    1.20ms
              420236 requests in 5.00s, 33.26MB read
              Socket errors: connect 0, read 3, write 0, timeout 12
            Requests/sec:  84047.04
            Transfer/sec:      6.65MB
            """;

    @Test
    void theLatencyDistributionGivesTheMedianAndThe99thPercentileInMicroseconds() {
        WrkOutput output = WrkOutput.parse(WITH_LATENCY);

        assertThat(output.p50Micros()).hasValue(635.91);
        assertThat(output.p99Micros()).hasValue(1200.0);
        assertThat(output.latency()).isEqualTo(new RunRow.Latency("635.9", "1200.0"));
        assertThat(WrkOutput.parse(WITH_LATENCY.replace("1.20ms", "2.50s")).p99Micros()).hasValue(2_500_000.0);
        assertThat(WrkOutput.parse(PLAIN).latency()).as("without --latency").isEqualTo(RunRow.Latency.UNKNOWN);
    }

    @Test
    void theSocketErrorsAreKeptByKindWithWrksTimeout() {
        WrkOutput output = WrkOutput.parse(WITH_LATENCY);

        assertThat(output.socketErrors()).containsExactly(0L, 3L, 0L, 12L);
        assertThat(output.errorsField()).isEqualTo("15");
        assertThat(output.wrkErrors(5)).isEqualTo(new RunRow.WrkErrors("5", "0", "3", "0", "12"));
        assertThat(WrkOutput.parse(PLAIN).wrkErrors(10)).isEqualTo(new RunRow.WrkErrors("10", "0", "0", "0", "0"));
        assertThat(WrkOutput.parse("unable to connect\n").wrkErrors(5)).as("wrk failed: no counts")
                .isEqualTo(new RunRow.WrkErrors("5", "", "", "", ""));
    }

    @Test
    void socketErrorsAndNon2xxAnswersAreCountedAndDescribed() {
        WrkOutput output = WrkOutput.parse(PLAIN.replace("Requests/sec:",
                "  Socket errors: connect 1, read 20, write 0, timeout 3\n  Non-2xx or 3xx responses: 7\nRequests/sec:"));

        assertThat(output.errors()).isEqualTo(31);
        assertThat(output.errorsField()).isEqualTo("31");
        assertThat(output.errorDetail()).isEqualTo(" socket errors: connect 1 read 20 write 0 timeout 3;"
                + " non-2xx responses: 7;");
    }

    @Test
    void wrkThatPrintedNoRateFailedAndItsLastLinesSayWhy() {
        WrkOutput output = WrkOutput.parse("""
                Running 5s test @ http://127.0.0.1:18080/
                unable to connect to 127.0.0.1:18080 Connection refused
                """);

        assertThat(output.failed()).isTrue();
        assertThat(output.requests()).isZero();
        assertThat(output.requestsPerSecond()).isEmpty();
        assertThat(output.errorsField()).isEqualTo("wrk-failed");
        assertThat(output.errorDetail()).isEqualTo("wrk failed: Running 5s test @ http://127.0.0.1:18080/"
                + " unable to connect to 127.0.0.1:18080 Connection refused");
    }
}
