package io.jepoll.benchmarks.compare;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Stream;

/** Finding the programs a run needs. */
final class Tools {

    private Tools() {
    }

    /** The program on the PATH, or else at one of {@code elsewhere} (nginx lives in /usr/sbin, off a user's PATH). */
    static Optional<Path> find(String name, Path... elsewhere) {
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.concat(Arrays.stream(path.split(File.pathSeparator)).filter(dir -> !dir.isEmpty())
                        .map(dir -> Path.of(dir, name)), Arrays.stream(elsewhere))
                .filter(Files::isExecutable).filter(Files::isRegularFile).findFirst();
    }

    /**
     * From {@code java -jar jepoll.jar info}: empty when the transport is available, else why
     * not ("the native transport is not available here (et  unavailable: ...)").
     */
    static Optional<String> unavailableTransport(String info, String transport) {
        Optional<String> line = info.lines().filter(l -> l.matches(transport + " +.*")).findFirst();
        if (line.isPresent() && line.get().matches(transport + " +available.*")) {
            return Optional.empty();
        }
        return Optional.of("the native transport is not available here (" + line.orElse("see jepoll info") + ")");
    }
}
