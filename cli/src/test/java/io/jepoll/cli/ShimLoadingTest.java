package io.jepoll.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Native;
import io.jepoll.shim.Shim;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Which native library file gets loaded, and what a user of the command sees when none can be. */
class ShimLoadingTest {

    @Test
    void loadsTheCopyOnTheClassPath() {
        assertThat(Shim.isAvailable()).as("%s", Shim.unavailabilityReason()).isTrue();
        assertThat(Shim.unavailabilityReason()).isEmpty();
        assertThat(Shim.abiVersion()).isEqualTo(Shim.ABI_VERSION);
        assertThat(Shim.librarySource().orElseThrow()).endsWith("linux-x86-64/libjepoll.so");
        assertThat(Shim.libraryFile().orElseThrow()).isRegularFile();
    }

    @Test
    void aMissingOverrideIsOneClearLine() throws Exception {
        Run run = info("-Djepoll.library.path=/nonexistent/libjepoll.so");

        assertThat(run.exitCode).isZero();
        assertThat(run.output).contains(
                "native      libjepoll not loaded: jepoll.library.path=/nonexistent/libjepoll.so is not a file;");
        assertThat(run.output).contains("et          unavailable").contains("nio         available")
                .contains("best        nio");
        assertNoStackTrace(run);
    }

    @Test
    void aFileThatIsNotJepollIsRefusedClearly() throws Exception {
        Path notJepoll = Path.of(System.getProperty("java.home"), "lib", "libnet.so");
        Run run = info("-Djepoll.library.path=" + notJepoll);

        assertThat(run.output).contains("native      libjepoll not loaded: could not load " + notJepoll)
                .contains("is it a libjepoll.so built for linux-x86-64 (os.arch amd64, glibc)?");
        assertNoStackTrace(run);
    }

    @Test
    void aStaleCopyOnTheSystemSearchPathDoesNotWin(@TempDir Path dir) throws Exception {
        Path stale = dir.resolve("libjepoll.so");
        Files.copy(Path.of(System.getProperty("java.home"), "lib", "libnet.so"), stale);
        Run run = info("-Djna.library.path=" + dir);

        assertThat(run.output).contains("et          available").doesNotContain(stale.toString());
        assertNoStackTrace(run);
    }

    @Test
    void askingForEpollWithoutTheLibraryIsOneClearError() throws Exception {
        Run run = jepoll(List.of("-Djepoll.library.path=/nonexistent/libjepoll.so"),
                "echo", "--port", "0", "--transport", "et");

        assertThat(run.exitCode).isEqualTo(1);
        assertThat(run.output.strip()).isEqualTo("jepoll echo: EPOLL_ET is not available: libjepoll not loaded:"
                + " jepoll.library.path=/nonexistent/libjepoll.so is not a file; point it at a libjepoll.so, or unset"
                + " it to use the jar's copy");
    }

    @Test
    void withoutTheLibraryTheBestTransportIsNioAndSaysWhyOnce() throws Exception {
        Run run = jepoll(List.of("-Djepoll.library.path=/nonexistent/libjepoll.so"),
                "echo", "--port", "0", "--max-time", "1s");

        assertThat(run.exitCode).isZero();
        assertThat(run.output).contains("(transport nio, 1 loop)");
        assertThat(run.output.split("using the java.nio transport: libjepoll not loaded", -1)).hasSize(2);
        assertNoStackTrace(run);
    }

    private static void assertNoStackTrace(Run run) {
        assertThat(run.output).doesNotContain("\tat ").doesNotContain("Exception");
    }

    private record Run(int exitCode, String output) {
    }

    @Test
    void aJvmThatDeniesNativeAccessIsNamedWithTheFlagToPass() throws Exception {
        List<Path> jdks = InstalledJdks.atLeast(24);
        assumeTrue(!jdks.isEmpty(), "no JDK 24+ in /usr/lib/jvm to run with --illegal-native-access=deny");
        // Through either binding: FFM, denied too, falls back to JNA, which names the flag.
        for (String binding : List.of("jna", "ffm")) {
            Run run = jepoll(jdks.get(0), List.of("--illegal-native-access=deny", "-Djepoll.binding=" + binding),
                    "info");

            assertThat(run.exitCode).isZero();
            assertThat(run.output).contains("native      libjepoll not loaded: the JVM denies JNA native access")
                    .contains("run java with --enable-native-access=ALL-UNNAMED").contains("best        nio")
                    .doesNotContain("jna.tmpdir");
            assertNoStackTrace(run);
        }
    }

    /** Runs {@code jepoll info} in a child JVM with the given system properties. */
    private static Run info(String... properties) throws Exception {
        return jepoll(List.of(properties), "info");
    }

    /** Runs the jepoll command line in a child JVM of this JDK with the given JVM options. */
    private static Run jepoll(List<String> jvmOptions, String... args) throws Exception {
        return jepoll(Path.of(System.getProperty("java.home")), jvmOptions, args);
    }

    private static Run jepoll(Path javaHome, List<String> jvmOptions, String... args) throws Exception {
        String classPath = String.join(File.pathSeparator,
                codeLocation(Main.class), codeLocation(Shim.class), codeLocation(Native.class),
                codeLocation(CommandLine.class));
        List<String> command = new ArrayList<>();
        command.add(javaHome.resolve("bin/java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classPath, Main.class.getName()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("jepoll info did not finish within 60 s");
        }
        return new Run(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private static String codeLocation(Class<?> type) throws Exception {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }
}
