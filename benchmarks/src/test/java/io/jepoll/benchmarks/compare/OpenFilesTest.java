package io.jepoll.benchmarks.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class OpenFilesTest {

    private static final String LIMITS = """
            Limit                     Soft Limit           Hard Limit           Units
            Max processes             unlimited            unlimited            processes
            Max open files            20000                20000                files
            Max locked memory         8388608              8388608              bytes
            """;

    @Test
    void theSoftLimitIsReadFromProcSelfLimits() {
        assertThat(OpenFiles.softLimit(LIMITS)).hasValue(20000);
        assertThat(OpenFiles.softLimit(LIMITS.replace("20000                20000", "unlimited            unlimited")))
                .hasValue(Long.MAX_VALUE);
        assertThat(OpenFiles.softLimit("")).isEmpty();
        assertThat(OpenFiles.softLimit()).as("this process's").isPresent();
    }

    @Test
    void aLimitBelowTheConnectionsAndTheHeadroomIsAShortfall() {
        assertThat(OpenFiles.shortfall(OptionalLong.of(20000), 10000)).isEmpty();
        assertThat(OpenFiles.shortfall(OptionalLong.empty(), 10000)).as("unknown: not refused").isEmpty();
        assertThat(OpenFiles.shortfall(OptionalLong.of(1024), 1000)).hasValueSatisfying(why -> assertThat(why)
                .startsWith("the open-files limit is 1024, below the 1256 that 1000 connections need"));
    }
}
