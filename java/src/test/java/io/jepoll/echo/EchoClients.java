package io.jepoll.echo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jepoll.loop.Transport;
import io.jepoll.server.TcpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Blocking loopback clients and bounded waits shared by the echo and loop tests. Every wait
 * here ends: sockets time out, background work is awaited with a limit.
 */
public final class EchoClients {

    /** The longest any single wait in these tests may take before it fails. */
    public static final Duration WAIT = Duration.ofSeconds(15);

    private static final int SOCKET_TIMEOUT_MILLIS = 15_000;

    private EchoClients() {
    }

    /** Skips the test, with the reason, where {@code transport} cannot run. */
    public static void assumeAvailable(Transport transport) {
        assumeTrue(transport.isAvailable(),
                () -> transport + " is not available: " + transport.unavailabilityReason().orElse("?"));
    }

    /** An echo server on 127.0.0.1, port chosen by the kernel, one loop of {@code transport}. */
    public static TcpServer.Builder echoServer(Transport transport) {
        assumeAvailable(transport);
        // A failed test may leave a peer that never reads: don't wait the default 5 s for it.
        return TcpServer.builder().transport(transport).handler(EchoHandler::new)
                .shutdownGrace(Duration.ofSeconds(2));
    }

    public static TcpServer startEchoServer(Transport transport) throws IOException {
        return echoServer(transport).build().start();
    }

    public static Socket connect(TcpServer server) throws IOException {
        return connect(server.localAddress(), 0);
    }

    /**
     * A client socket with a read timeout; {@code receiveBufferSize} > 0 sets SO_RCVBUF before
     * connecting, so that the TCP window is negotiated with it.
     */
    public static Socket connect(InetSocketAddress address, int receiveBufferSize) throws IOException {
        Socket socket = new Socket();
        try {
            if (receiveBufferSize > 0) {
                socket.setReceiveBufferSize(receiveBufferSize);
            }
            socket.setSoTimeout(SOCKET_TIMEOUT_MILLIS);
            socket.setTcpNoDelay(true);
            socket.connect(address, SOCKET_TIMEOUT_MILLIS);
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** A loopback port with nothing listening on it (it was free a moment ago). */
    public static int closedPort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    /** Something to run in the background that may throw. */
    @FunctionalInterface
    public interface Action {
        void run() throws Exception;
    }

    /**
     * Runs {@code body} on a new daemon thread (not the common pool, which has one thread on two
     * cores); the future completes with its outcome.
     */
    public static CompletableFuture<Void> inBackground(String name, Action body) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                body.run();
                done.complete(null);
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        return done;
    }

    /** Waits for background work and rethrows what it threw. */
    public static void await(CompletableFuture<?> work) throws Exception {
        work.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Sends {@code payload} from a writer thread while this thread reads the echo; with
     * {@code halfClose} the writer then shuts its output down.
     *
     * @return the echoed bytes, as many as were sent
     */
    public static byte[] echo(Socket socket, byte[] payload, boolean halfClose) throws Exception {
        CompletableFuture<Void> writer = inBackground("echo-writer", () -> {
            socket.getOutputStream().write(payload);
            if (halfClose) {
                socket.shutdownOutput();
            }
        });
        byte[] received = readExactly(socket.getInputStream(), payload.length);
        await(writer);
        return received;
    }

    /** Sends {@code message} and reads as many bytes back; for messages the socket buffers hold. */
    public static byte[] roundTrip(Socket socket, byte[] message) throws IOException {
        socket.getOutputStream().write(message);
        return readExactly(socket.getInputStream(), message.length);
    }

    /** Reads exactly {@code length} bytes, failing if the stream ends first. */
    public static byte[] readExactly(InputStream in, int length) throws IOException {
        byte[] bytes = in.readNBytes(length);
        assertThat(bytes.length).as("bytes before the end of stream").isEqualTo(length);
        return bytes;
    }

    /**
     * Reads {@code total} bytes and checks them against the seeded stream as they come, so that
     * the expected bytes are never all in memory.
     */
    public static void readAndVerify(InputStream in, long seed, long total) throws IOException, InterruptedException {
        readAndVerify(in, seed, total, 64 * 1024, 0);
    }

    /**
     * {@link #readAndVerify(InputStream, long, long)} as a slow reader: at most {@code readSize}
     * bytes a read, and a pause of {@code pauseMillis} after each.
     */
    public static void readAndVerify(InputStream in, long seed, long total, int readSize, long pauseMillis)
            throws IOException, InterruptedException {
        readAndVerify(in, seed, total, readSize, 0, pauseMillis);
    }

    /**
     * {@link #readAndVerify(InputStream, long, long)} as a reader in bursts: at most
     * {@code readSize} bytes a read, and a pause of {@code pauseMillis} after every {@code burst}
     * bytes (0: after every read).
     */
    public static void readAndVerify(InputStream in, long seed, long total, int readSize, long burst, long pauseMillis)
            throws IOException, InterruptedException {
        SeededBytes expected = new SeededBytes(seed);
        byte[] received = new byte[readSize];
        byte[] wanted = new byte[readSize];
        long offset = 0;
        long burstEnd = burst;
        while (offset < total) {
            int n = in.read(received, 0, (int) Math.min(received.length, total - offset));
            if (n < 0) {
                fail("the stream ended after " + offset + " of " + total + " bytes");
            }
            expected.fill(wanted, 0, n);
            int mismatch = Arrays.mismatch(received, 0, n, wanted, 0, n);
            if (mismatch >= 0) {
                fail("byte " + (offset + mismatch) + " differs from what was sent");
            }
            offset += n;
            if (pauseMillis > 0 && offset >= burstEnd) {
                Thread.sleep(pauseMillis);
                burstEnd += burst;
            }
        }
    }

    /** The peer closed gracefully: the next read sees the end of the stream. */
    public static void assertEndOfStream(Socket socket) throws IOException {
        assertThat(socket.getInputStream().read()).as("read after the last byte").isEqualTo(-1);
    }

    /** The peer closed the connection: the next read sees its end or a reset. */
    public static void assertClosedByPeer(Socket socket) throws IOException {
        try {
            assertThat(socket.getInputStream().read()).as("read on a connection the server closed").isEqualTo(-1);
        } catch (SocketException reset) {
            assertThat(reset.getMessage()).containsIgnoringCase("reset");
        }
    }

    /** Polls until {@code condition} holds, failing after {@link #WAIT}. */
    public static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        awaitValue(what, condition::getAsBoolean, done -> done);
    }

    /**
     * Polls {@code sample} until {@code done} accepts it, failing after {@link #WAIT} with the
     * last value seen; returns the accepted value.
     */
    public static <T> T awaitValue(String what, Supplier<T> sample, Predicate<T> done) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        T value = sample.get();
        while (!done.test(value)) {
            if (System.nanoTime() - deadline > 0) {
                fail("gave up waiting for " + what + " after " + WAIT.toSeconds() + " s; last seen: " + value);
            }
            Thread.sleep(10);
            value = sample.get();
        }
        return value;
    }

    /**
     * Waits until {@code progress} stays the same for {@code quiet}, failing after {@link #WAIT};
     * returns the value it settled at.
     */
    public static long awaitNoProgress(String what, LongSupplier progress, Duration quiet)
            throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        long value = progress.getAsLong();
        long unchangedSince = System.nanoTime();
        while (System.nanoTime() - unchangedSince < quiet.toNanos()) {
            if (System.nanoTime() - deadline > 0) {
                fail(what + " still moving after " + WAIT.toSeconds() + " s; at " + value);
            }
            Thread.sleep(20);
            long now = progress.getAsLong();
            if (now != value) {
                value = now;
                unchangedSince = System.nanoTime();
            }
        }
        return value;
    }
}
