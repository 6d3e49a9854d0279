package io.jepoll.benchmarks.compare;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EchoLoadLineTest {

    @Test
    void theResultLinesFieldsAreReadByName() {
        String output = "echo connections=64 size=64 roundtrips=500000 seconds=5.000 roundtrips_per_second=100000.0"
                + " p50_us=600.0 p99_us=900.0 p999_us=1500.0 max_us=3000.0 total_roundtrips=800000 errors=0\n";

        EchoLoadLine line = EchoLoadLine.parse(output).orElseThrow();

        assertThat(line.field("roundtrips_per_second")).contains("100000.0");
        assertThat(line.count("roundtrips")).isEqualTo(500000);
        assertThat(line.count("total_roundtrips")).isEqualTo(800000);
        assertThat(line.field("errors")).contains("0");
        assertThat(line.count("absent")).isZero();
    }

    @Test
    void theCClientsLineEndsWithItsOwnCpu() {
        EchoLoadLine line = EchoLoadLine.parse("echo connections=10000 size=64 roundtrips=82098 seconds=2.000"
                + " roundtrips_per_second=41043.1 p50_us=264241.2 p99_us=419430.4 p999_us=423624.7 max_us=423624.7"
                + " total_roundtrips=176086 errors=0 cpu_percent=12.7\n").orElseThrow();

        assertThat(line.field("cpu_percent")).contains("12.7");
        assertThat(line.field("p99_us")).contains("419430.4");
    }

    @Test
    void noResultLineIsNoResult() {
        assertThat(EchoLoadLine.parse("echo-load: cannot connect to 127.0.0.1:1: refused\n")).isEmpty();
    }
}
