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
