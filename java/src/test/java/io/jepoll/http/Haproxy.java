package io.jepoll.http;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real HAProxy in front of the servers under test: found on the PATH or in /usr/sbin (not on
 * every user's PATH), run in the foreground on a configuration written to a test's directory,
 * stopped on close. A test is skipped, with the reason, where haproxy is not installed.
 */
final class Haproxy implements AutoCloseable {

    private final Process process;
    private final Path log;

    private Haproxy(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts haproxy on {@code config}'s lines, its output in {@code dir}; skips the test without one. */
    static Haproxy start(Path dir, String... config) throws IOException {
        Path binary = binary();
        assumeTrue(binary != null, "haproxy is not installed (apt-get install haproxy; .ci/run installs it)");
        Path file = dir.resolve("haproxy.cfg");
        Files.writeString(file, String.join("\n", config) + "\n", StandardCharsets.US_ASCII);
        Path log = dir.resolve("haproxy.log");
        Process process = new ProcessBuilder(binary.toString(), "-db", "-f", file.toString()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        return new Haproxy(process, log);
    }

    private static Path binary() {
        for (String dir : (System.getenv().getOrDefault("PATH", "") + ":/usr/sbin").split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "haproxy");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Waits until HAProxy accepts on {@code port}; fails with its log if it ends or takes over 10 s. */
    void awaitListening(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                return;
            } catch (IOException notYet) {
                if (!process.isAlive() || System.nanoTime() - deadline > 0) {
                    throw new AssertionError("haproxy is not listening on " + port + " (alive: " + process.isAlive()
                            + "); its output:\n" + log(), notYet);
                }
                Thread.sleep(20);
            }
        }
    }

    String log() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
