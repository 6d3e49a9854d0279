package io.jepoll.benchmarks.compare;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;

/**
 * Where a load run's results go: {@code DIR/<date>-<name>.csv} and {@code .txt}, or
 * {@code <date>-<name>-2}, {@code -3}, ... when an earlier run of the day has those names: an
 * earlier run's results are never overwritten. The name is {@code compare}, or {@code tls} for
 * a run of the https benchmark alone.
 */
record ResultFiles(Path csv, Path txt) {

    static ResultFiles choose(Path directory, LocalDate date, String name) {
        String base = date + "-" + name;
        ResultFiles files = in(directory, base);
        for (int n = 2; Files.exists(files.csv) || Files.exists(files.txt); n++) {
            files = in(directory, base + "-" + n);
        }
        return files;
    }

    private static ResultFiles in(Path directory, String name) {
        return new ResultFiles(directory.resolve(name + ".csv"), directory.resolve(name + ".txt"));
    }
}
