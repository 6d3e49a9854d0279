package io.jepoll.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Native;
import io.jepoll.shim.NativeIoException;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A group that cannot create all its loops (here: the process runs out of fds halfway) gives
 * back the fds of the loops it did create: their threads never ran, so nothing else would.
 * Runs in a child JVM under {@code prlimit --nofile=64}; the blocking transport holds no fd
 * per loop, so it cannot fail this way.
 */
@Timeout(60)
class GroupStartFailureTest {

    private static final int LOOPS = 200;

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = "BLOCKING", mode = EnumSource.Mode.EXCLUDE)
    void aGroupThatCannotStartEveryLoopReleasesTheOnesItCreated(Transport transport) throws Exception {
        assumeTrue(transport.isAvailable(), () -> transport + ": " + transport.unavailabilityReason().orElse("?"));
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/prlimit")), "prlimit (util-linux) is not installed");
        Process child = new ProcessBuilder("/usr/bin/prlimit", "--nofile=64:64",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classPath(),
                GroupStartFailureTest.class.getName(), transport.name()).redirectErrorStream(true).start();
        if (!child.waitFor(30, TimeUnit.SECONDS)) {
            child.destroyForcibly();
            throw new AssertionError("the child JVM did not end within 30 s");
        }
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(output.lines().filter(line -> line.startsWith("start failed: ")).findFirst())
                .as("child output:%n%s", output).hasValueSatisfying(line -> assertThat(line)
                        .contains("could not start " + transport).contains("Too many open files"));
        assertThat(output.lines().filter(line -> line.startsWith("fds ")).findFirst())
                .as("child output:%n%s", output).hasValueSatisfying(line -> {
                    String[] counts = line.split(" ");
                    assertThat(counts[3]).as("fds after the failed start").isEqualTo(counts[1]);
                });
        assertThat(child.exitValue()).as("child output:%n%s", output).isZero();
    }

    /** The child: a warm group first (classes loaded, the spare fd set aside), then the failing one. */
    public static void main(String[] args) throws Exception {
        Transport transport = Transport.valueOf(args[0]);
        EventLoopGroup warm = EventLoopGroup.start(transport, 1, LoopConfig.defaults(), "warm");
        warm.shutdown(Duration.ZERO);
        warm.awaitTermination(Duration.ofSeconds(5));
        // Loading a class opens its file, which the failing start leaves no fd for.
        System.out.println("warmed up: " + new NativeIoException("nothing", -24).getMessage());
        long before = openFds();
        try {
            EventLoopGroup.start(transport, LOOPS, LoopConfig.defaults(), "many");
            System.out.println("started " + LOOPS + " loops: the fd limit did not apply");
        } catch (UncheckedIOException expected) {
            System.out.println("start failed: " + expected.getMessage());
        }
        System.out.println("fds " + before + " after " + openFds());
    }

    private static long openFds() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    private static String classPath() throws Exception {
        return String.join(File.pathSeparator, location(GroupStartFailureTest.class), location(EventLoop.class),
                location(Native.class));
    }

    private static String location(Class<?> type) throws Exception {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }
}
