package io.jepoll.benchmarks.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultFilesTest {

    private static final LocalDate DAY = LocalDate.of(2026, 12, 7);

    @Test
    void theFirstRunOfADayTakesTheDatesNameAndLaterOnesANumber(@TempDir Path dir) throws Exception {
        ResultFiles first = ResultFiles.choose(dir, DAY, "compare");
        assertThat(first.csv()).isEqualTo(dir.resolve("2026-12-07-compare.csv"));
        assertThat(first.txt()).isEqualTo(dir.resolve("2026-12-07-compare.txt"));

        Files.createFile(first.csv());
        assertThat(ResultFiles.choose(dir, DAY, "compare").csv()).isEqualTo(dir.resolve("2026-12-07-compare-2.csv"));

        // Either file of a pair keeps its name taken.
        Files.createFile(dir.resolve("2026-12-07-compare-2.txt"));
        assertThat(ResultFiles.choose(dir, DAY, "compare").txt()).isEqualTo(dir.resolve("2026-12-07-compare-3.txt"));
        assertThat(ResultFiles.choose(dir, DAY, "tls").csv()).isEqualTo(dir.resolve("2026-12-07-tls.csv"));
    }
}
