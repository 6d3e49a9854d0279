package io.jepoll.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The packaged {@code target/jepoll.jar}, run as a user runs it: on this JDK and on every JDK
 * 24+ installed beside it, where a jar without {@code Enable-Native-Access} would print a
 * warning when JNA loads native code.
 */
class RunnableJarIT {

    private static final Path JAR = Path.of("target", "jepoll.jar");

    static Stream<Path> javaHomes() throws IOException {
        List<Path> homes = new ArrayList<>();
        homes.add(Path.of(System.getProperty("java.home")));
        Path installed = Path.of("/usr/lib/jvm");
        if (Files.isDirectory(installed)) {
            try (Stream<Path> dirs = Files.list(installed)) {
                dirs.filter(dir -> Files.isExecutable(dir.resolve("bin/java")) && featureVersion(dir) >= 24)
                        .forEach(homes::add);
            }
        }
        return homes.stream();
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void infoFindsTheNativeLibraryInsideTheJarWithoutWarnings(Path javaHome) throws Exception {
        Process process = new ProcessBuilder(javaHome.resolve("bin/java").toString(), "-jar", JAR.toString(), "info")
                .start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(process.exitValue()).isZero();
        assertThat(err).as("stderr").isEmpty();
        assertThat(out).contains("et          available")
                .containsPattern("from jar:file:.*jepoll\\.jar!/linux-[a-z0-9-]+/libjepoll\\.so");
    }

    /** The feature version from a JDK's {@code release} file, or 0 when it cannot be read. */
    private static int featureVersion(Path javaHome) {
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
