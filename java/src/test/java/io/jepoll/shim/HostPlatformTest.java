package io.jepoll.shim;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.Native;
import io.jepoll.loop.Transport;
import io.jepoll.shim.ShimLoader.HostPlatform;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where no native build fits (musl, an architecture the jar has no build for), the reason names the platform. */
class HostPlatformTest {

    private static final ClassLoader CLASS_PATH = HostPlatformTest.class.getClassLoader();

    @Test
    void theLibcIsTheOneTheProcessWasLoadedWith() {
        assertThat(HostPlatform.libcOf(List.of(
                "7f3c0a200000-7f3c0a214000 r--p 00000000 00:2e 1234   /lib/ld-musl-x86_64.so.1",
                "7f3c0a400000-7f3c0a600000 r-xp 00000000 00:2e 5678   /usr/lib/jvm/java-17-openjdk/lib/server/libjvm.so")))
                .isEqualTo(HostPlatform.MUSL);
        assertThat(HostPlatform.libcOf(List.of(
                "7f4b1c228000-7f4b1c24e000 r--p 00000000 08:01 2359   /usr/lib/x86_64-linux-gnu/libc.so.6",
                "7f4b1c5e1000-7f4b1c5e3000 r--p 00000000 08:01 2356   /usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2")))
                .isEqualTo(HostPlatform.GLIBC);
        assertThat(HostPlatform.libcOf(List.of("7ffd5a1e7000-7ffd5a208000 rw-p 00000000 00:00 0   [stack]")))
                .isEqualTo(HostPlatform.UNKNOWN_LIBC);
        assertThat(HostPlatform.current().libc()).isNotEqualTo(HostPlatform.UNKNOWN_LIBC);
    }

    @Test
    void onMuslTheGlibcBuildsAreNotLoadedAndTheReasonSaysSo() {
        HostPlatform alpine = new HostPlatform("linux-x86-64", "amd64", HostPlatform.MUSL);

        assertThat(ShimLoader.whyNoBuildFits(alpine, CLASS_PATH)).hasValueSatisfying(reason -> assertThat(reason)
                .startsWith("no build for linux-x86-64 (os.arch amd64, musl libc): the jar's libjepoll.so builds"
                        + " need glibc; the java.nio transport works here")
                .contains("-Djepoll.library.path=").doesNotContain("\n"));
    }

    @Test
    void anArchitectureWithoutABuildIsNamed() {
        HostPlatform riscv = new HostPlatform("linux-riscv64", "riscv64", HostPlatform.GLIBC);

        assertThat(ShimLoader.whyNoBuildFits(riscv, CLASS_PATH)).hasValueSatisfying(reason -> assertThat(reason)
                .startsWith("no build for linux-riscv64 (os.arch riscv64, glibc): the class path has no"
                        + " linux-riscv64/libjepoll.so; the java.nio transport works here")
                .doesNotContain("\n"));
        assertThat(ShimLoader.whyNoBuildFits(HostPlatform.current(), CLASS_PATH)).isEmpty();
    }

    /** A jar without this machine's build, as a user on another architecture has it. */
    @Test
    void withoutABuildForThisMachineTheBestTransportIsNioAndTheLogNamesThePlatform(@TempDir Path dir)
            throws Exception {
        Path classes = dir.resolve("classes");
        copyWithoutNativeBuilds(codeLocation(Shim.class), classes);
        String classPath = String.join(File.pathSeparator,
                classes.toString(), codeLocation(HostPlatformTest.class).toString(), codeLocation(Native.class).toString());
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", classPath, PrintBestTransport.class.getName())
                .redirectErrorStream(true).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("child JVM done within 60 s").isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        HostPlatform host = HostPlatform.current();
        assertThat(output).contains("best NIO").contains("using the java.nio transport: libjepoll not loaded: no build"
                + " for " + host.resourcePrefix() + " (os.arch " + System.getProperty("os.arch") + ", " + host.libc()
                + "): the class path has no " + host.resourcePrefix() + "/libjepoll.so;");
        assertThat(output.split("using the java.nio transport", -1)).as(output).hasSize(2);
        assertThat(output).doesNotContain("Exception");
    }

    /** The child JVM of the test above. */
    static final class PrintBestTransport {
        public static void main(String[] args) {
            System.out.println("best " + Transport.best());
        }
    }

    /** From the classes directory, or from the jar when the suite runs on the packaged jar. */
    private static void copyWithoutNativeBuilds(Path from, Path to) throws IOException {
        if (Files.isRegularFile(from)) {
            try (FileSystem jar = FileSystems.newFileSystem(from)) {
                copyTreeWithoutNativeBuilds(jar.getPath("/"), to);
            }
        } else {
            copyTreeWithoutNativeBuilds(from, to);
        }
    }

    private static void copyTreeWithoutNativeBuilds(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path relative = from.relativize(file);
                if (!relative.toString().startsWith("linux-")) {
                    Files.copy(file, to.resolve(relative.toString()));
                }
            }
        }
    }

    private static Path codeLocation(Class<?> type) throws Exception {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}
