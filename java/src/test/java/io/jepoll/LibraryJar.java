package io.jepoll;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The library jar the build packaged, for the tests that run or open it after {@code package}. */
final class LibraryJar {

    private LibraryJar() {
    }

    /** target/jepoll-VERSION.jar, the artifact users depend on (not its -sources or -javadoc jar). */
    static Path path() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            List<Path> jars = files.filter(file -> file.getFileName().toString().matches("jepoll-[0-9].*\\.jar"))
                    .filter(file -> !file.getFileName().toString().endsWith("-sources.jar")
                            && !file.getFileName().toString().endsWith("-javadoc.jar"))
                    .toList();
            assertThat(jars).as("the library jar in target").hasSize(1);
            return jars.get(0);
        }
    }

    /** The jar published beside it with this classifier: {@code sources} or {@code javadoc}. */
    static Path attached(String classifier) throws IOException {
        String name = path().getFileName().toString();
        return path().resolveSibling(name.substring(0, name.length() - ".jar".length()) + "-" + classifier + ".jar");
    }
}
