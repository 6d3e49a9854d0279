package io.jepoll.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The JDKs installed beside the one running the tests (in /usr/lib/jvm), for checks on newer JDKs. */
final class InstalledJdks {

    private InstalledJdks() {
    }

    /** Every installed JDK of at least this feature version (24 for 24, 25, ...). */
    static List<Path> atLeast(int feature) throws IOException {
        Path installed = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(installed)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(installed)) {
            return dirs.filter(dir -> Files.isExecutable(dir.resolve("bin/java")) && featureVersion(dir) >= feature)
                    .toList();
        }
    }

    /** From the JDK's release file: 25 for "25.0.3"; 0 when it cannot be read. */
    static int featureVersion(Path javaHome) {
        try {
            for (String line : Files.readAllLines(javaHome.resolve("release"))) {
                if (line.startsWith("JAVA_VERSION=")) {
                    String version = line.substring("JAVA_VERSION=".length()).replace("\"", "");
                    return Integer.parseInt(version.split("[.+-]")[0]);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }
}
