package io.jepoll.benchmarks.charts;

import java.nio.file.Path;

/** What became of one chart: written, or skipped because its data is absent. */
sealed interface ChartOutcome {

    /** The line the command prints for it. */
    String line();

    record Written(Path file) implements ChartOutcome {
        @Override
        public String line() {
            return "wrote " + file;
        }
    }

    record Skipped(String fileName, String reason) implements ChartOutcome {
        @Override
        public String line() {
            return "skipped " + fileName + ": " + reason;
        }
    }
}
