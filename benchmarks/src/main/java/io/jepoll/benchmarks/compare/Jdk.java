package io.jepoll.benchmarks.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A JDK the Java servers run on, named in labels by its feature release ({@code 17}, {@code 25}).
 *
 * @param java its {@code bin/java}
 */
record Jdk(int feature, Path java) {

    /** Where JDKs are installed on Debian and Ubuntu, the Temurin packages included. */
    static final Path INSTALLED = Path.of("/usr/lib/jvm");
    /** The first release with the FFM API final (JEP 454): an FFM binding needs it. */
    static final int FIRST_WITH_FFM = 22;
    private static final Pattern RELEASE_VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"(\\d+)");

    /** The JDK that runs this JVM: the {@code java} on the PATH that compare.sh starts. */
    static Jdk current() {
        return new Jdk(Runtime.version().feature(), Layout.java());
    }

    /**
     * A {@code --jdks} word: a feature release, found as the {@code java} running this JVM or else
     * under {@link #INSTALLED} (this machine's architecture preferred), or the path of a {@code java}
     * or of a JDK's directory, whose feature release its {@code release} file says.
     */
    static Jdk resolve(String word, Path installed) throws UsageException {
        if (word.matches("\\d{1,3}")) {
            int feature = Integer.parseInt(word);
            if (feature == Runtime.version().feature()) {
                return current();
            }
            return installedJdks(installed).filter(jdk -> jdk.feature() == feature).findFirst()
                    .orElseThrow(() -> new UsageException("--jdks: no JDK " + feature + " here (the java on the PATH is "
                            + Runtime.version().feature() + "; none under " + installed + "): give its path"));
        }
        Path path = Path.of(word);
        Path java = Files.isDirectory(path) ? path.resolve("bin/java") : path;
        if (!Files.isExecutable(java) || Files.isDirectory(java)) {
            throw new UsageException("--jdks: " + word + " is neither a feature release (17, 25) nor a java executable");
        }
        OptionalInt feature = featureOf(java);
        if (feature.isEmpty()) {
            throw new UsageException("--jdks: " + word + ": no release file beside it says which JDK it is");
        }
        return new Jdk(feature.getAsInt(), java);
    }

    /** The label of the servers run on it, {@code jepoll-et@25}. */
    String label() {
        return Integer.toString(feature);
    }

    boolean hasFfm() {
        return feature >= FIRST_WITH_FFM;
    }

    /** From the {@code release} file of the JDK whose {@code bin/java} this is (symbolic links followed). */
    static OptionalInt featureOf(Path java) {
        try {
            Path release = java.toRealPath().getParent().getParent().resolve("release");
            Matcher version = RELEASE_VERSION.matcher(Files.readString(release));
            return version.find() ? OptionalInt.of(Integer.parseInt(version.group(1))) : OptionalInt.empty();
        } catch (IOException | NullPointerException e) {
            return OptionalInt.empty();
        }
    }

    private static Stream<Jdk> installedJdks(Path installed) {
        List<Path> homes;
        try (Stream<Path> listed = Files.list(installed)) {
            homes = listed.sorted().toList();
        } catch (IOException e) {
            return Stream.empty();
        }
        String arch = System.getProperty("os.arch").equals("aarch64") ? "arm64" : "amd64";
        return Stream.concat(homes.stream().filter(home -> home.getFileName().toString().contains(arch)),
                        homes.stream().filter(home -> !home.getFileName().toString().contains(arch)))
                .map(home -> home.resolve("bin/java")).filter(Files::isExecutable)
                .flatMap(java -> featureOf(java).stream().mapToObj(feature -> new Jdk(feature, java)));
    }

    @Override
    public String toString() {
        return label() + " (" + java + ")";
    }
}
