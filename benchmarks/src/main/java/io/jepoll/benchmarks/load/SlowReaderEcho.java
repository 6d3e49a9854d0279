package io.jepoll.benchmarks.load;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * One big {@code POST /echo} from a client that sends as fast as the connection takes its bytes
 * and reads the echo at a fixed rate: whatever the server does not hold back, it has to keep.
 * The sender can only get as far ahead of the reader as the sockets' buffers and the server's
 * own buffering let it; the most it got ahead is in the result line, and every echoed byte is
 * checked:
 *
 * <pre>
 * slow-echo mib=1024 rate_mib_s=10.0 sent=1073741824 received=1073741824 seconds=102.4 max_ahead_mib=7.1 ok=true
 * </pre>
 *
 * Exit status 0 when the whole body came back exact.
 */
@Command(name = "SlowReaderEcho", mixinStandardHelpOptions = true, sortOptions = false,
        description = "POST /echo of --mib MiB sent as fast as the connection takes it, the echo read at --rate-mib MiB/s.")
public final class SlowReaderEcho implements Callable<Integer> {

    private static final Pattern CONTENT_LENGTH = Pattern.compile("(?i)\\r\\ncontent-length: *(\\d+)\\r\\n");
    private static final int CHUNK = 64 * 1024;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Server address (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", required = true, description = "Server port.")
    int port;

    @Option(names = "--mib", defaultValue = "1024", description = "Body size in MiB (default: ${DEFAULT-VALUE}).")
    long mib;

    @Option(names = "--rate-mib", defaultValue = "10", description = "Reading rate in MiB/s (default: ${DEFAULT-VALUE}).")
    double rateMib;

    @Option(names = "--timeout-s", defaultValue = "600", description = "Give up after this long (default: ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    public static void main(String[] args) {
        System.exit(new CommandLine(new SlowReaderEcho()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Result result = run(new InetSocketAddress(host, port), mib << 20, rateMib * (1 << 20),
                Duration.ofSeconds(timeoutSeconds));
        try (PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8)) {
            out.println(result.line(mib, rateMib));
        }
        return result.ok() ? 0 : 1;
    }

    /** The byte at {@code position} of the body: a pattern that a lost, repeated or reordered chunk breaks. */
    static byte patternAt(long position) {
        return (byte) (position % 251);
    }

    /**
     * @param bytesPerSecond the reading rate
     * @return ok when the echo was every byte sent, in order
     */
    static Result run(InetSocketAddress address, long length, double bytesPerSecond, Duration timeout)
            throws IOException, InterruptedException {
        long start = System.nanoTime();
        AtomicLong sent = new AtomicLong();
        long received = 0;
        long maxAhead = 0;
        boolean exact = true;
        try (SocketChannel channel = SocketChannel.open(address)) {
            CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> send(channel, length, sent));
            ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
            long bodyLength = readHead(channel, buffer);
            if (bodyLength != length) {
                exact = false;
            }
            long deadline = start + timeout.toNanos();
            while (exact && received < bodyLength && System.nanoTime() - deadline < 0) {
                if (!buffer.hasRemaining()) {
                    buffer.clear();
                    if (channel.read(buffer) < 0) {
                        break;
                    }
                    buffer.flip();
                }
                while (buffer.hasRemaining() && exact) {
                    exact = buffer.get() == patternAt(received++);
                }
                maxAhead = Math.max(maxAhead, sent.get() - received);
                // The reading rate: never ahead of bytesPerSecond since the first read.
                long dueNanos = (long) (received / bytesPerSecond * 1e9) - (System.nanoTime() - start);
                if (dueNanos > 0) {
                    TimeUnit.NANOSECONDS.sleep(dueNanos);
                }
            }
            try {
                sender.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException | TimeoutException e) {
                exact = false;
            }
        }
        return new Result(sent.get(), received, System.nanoTime() - start, maxAhead,
                exact && received == length && sent.get() == length);
    }

    private static void send(SocketChannel channel, long length, AtomicLong sent) {
        try {
            channel.write(ByteBuffer.wrap(("POST /echo HTTP/1.1\r\nHost: load\r\nContent-Type: application/octet-stream"
                    + "\r\nContent-Length: " + length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer chunk = ByteBuffer.allocate(CHUNK);
            while (sent.get() < length) {
                chunk.clear();
                long from = sent.get();
                int size = (int) Math.min(CHUNK, length - from);
                for (int i = 0; i < size; i++) {
                    chunk.put(patternAt(from + i));
                }
                chunk.flip();
                while (chunk.hasRemaining()) {
                    channel.write(chunk);
                }
                sent.addAndGet(size);
            }
        } catch (IOException e) {
            throw new IllegalStateException("sending failed after " + sent.get() + " bytes", e);
        }
    }

    /** Reads up to the end of the answer's head; the buffer is left holding the body's first bytes. */
    private static long readHead(SocketChannel channel, ByteBuffer buffer) throws IOException {
        StringBuilder head = new StringBuilder();
        buffer.clear();
        while (true) {
            if (channel.read(buffer) < 0) {
                return -1;
            }
            buffer.flip();
            while (buffer.hasRemaining()) {
                head.append((char) (buffer.get() & 0xff));
                if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
                    Matcher length = CONTENT_LENGTH.matcher(head);
                    return head.toString().startsWith("HTTP/1.1 200 ") && length.find()
                            ? Long.parseLong(length.group(1)) : -1;
                }
            }
            buffer.clear();
        }
    }

    /** @param maxAheadBytes the most bytes sent and not yet read back, sampled after each read */
    record Result(long sent, long received, long nanos, long maxAheadBytes, boolean ok) {

        String line(long mib, double rateMib) {
            return String.format(Locale.ROOT, "slow-echo mib=%d rate_mib_s=%.1f sent=%d received=%d seconds=%.1f"
                    + " max_ahead_mib=%.1f ok=%b", mib, rateMib, sent, received, nanos / 1e9, maxAheadBytes / 1048576.0,
                    ok);
        }
    }
}
