package io.jepoll.benchmarks.compare;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** A run's temporary directory of logs and copies. */
final class Scratch {

    private Scratch() {
    }

    /** Deletes it and all it holds; null (never made) is nothing to delete. */
    static void delete(Path root) {
        if (root == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // A directory left in /tmp is harmless.
        }
    }
}
