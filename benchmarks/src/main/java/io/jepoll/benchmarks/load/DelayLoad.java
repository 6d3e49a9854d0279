package io.jepoll.benchmarks.load;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Many requests that are all answered late: opens every connection first, then sends
 * {@code GET /delay?ms=N} on each, and waits for every answer. It tells whether one loop holds
 * them all at once: with every answer due after N ms, the last should come soon after N ms, and
 * the server's CPU time meanwhile should be what accepting and answering costs, not waiting.
 *
 * <pre>
 * delay connections=1000 ms=1000 answered=1000 failed=0 connect_ms=85.2 wall_ms=1012.4 first_ms=1001.3
 *     server_cpu_connect_ms=40 server_cpu_ms=60 server_cpu_quiet_ms=0
 * </pre>
 *
 * {@code wall_ms} runs from the first request sent to the last answer read; {@code server_cpu_*}
 * (utime + stime of the process given by --server-pid, from /proc, in 10 ms ticks) are over the
 * connecting, over that window, and over its quiet middle (the second and third quarters of the
 * delay, when every request waits), empty without --server-pid. Exit status 0 when every request
 * got its 200.
 */
@Command(name = "DelayLoad", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Opens --connections connections, then sends GET /delay?ms=N on each and waits for every answer.")
public final class DelayLoad implements Callable<Integer> {

    private static final Pattern STATUS = Pattern.compile("^HTTP/1\\.1 (\\d{3}) ");
    private static final Pattern CONTENT_LENGTH = Pattern.compile("(?i)\\r\\ncontent-length: *(\\d+)\\r\\n");
    private static final byte[] END_OF_HEAD = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Server address (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", required = true, description = "Server port.")
    int port;

    @Option(names = "--connections", defaultValue = "1000", description = "Connections (default: ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--ms", defaultValue = "1000", description = "The delay each request asks for (default: ${DEFAULT-VALUE}).")
    int delayMillis;

    @Option(names = "--timeout-ms", defaultValue = "30000",
            description = "How long to wait for the answers at most (default: ${DEFAULT-VALUE}).")
    int timeoutMillis;

    @Option(names = "--server-pid", description = "The server's process, whose CPU time is read from /proc.")
    Long serverPid;

    public static void main(String[] args) {
        System.exit(new CommandLine(new DelayLoad()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        Result result = run(new InetSocketAddress(host, port), connections, delayMillis,
                Duration.ofMillis(timeoutMillis), serverPid == null ? null : Path.of("/proc", serverPid.toString(), "stat"));
        try (PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8)) {
            out.println(result.line());
        }
        return result.answered() == connections ? 0 : 1;
    }

    /**
     * @param serverStat the server's {@code /proc/PID/stat}, or null
     * @return answered counts the 200 answers received whole; failed the rest
     */
    static Result run(InetSocketAddress address, int connections, int delayMillis, Duration timeout, Path serverStat)
            throws IOException {
        List<Exchange> exchanges = new ArrayList<>(connections);
        try (Selector selector = Selector.open()) {
            OptionalLong cpuBeforeConnect = cpuTicks(serverStat);
            long connectStart = System.nanoTime();
            for (int i = 0; i < connections; i++) {
                SocketChannel channel = SocketChannel.open(address);
                channel.configureBlocking(false);
                Exchange exchange = new Exchange(channel);
                exchanges.add(exchange);
                channel.register(selector, SelectionKey.OP_READ, exchange);
            }
            long connectNanos = System.nanoTime() - connectStart;
            OptionalLong cpuBeforeRequests = cpuTicks(serverStat);

            byte[] request = ("GET /delay?ms=" + delayMillis + " HTTP/1.1\r\nHost: load\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            long start = System.nanoTime();
            for (Exchange exchange : exchanges) {
                ByteBuffer buffer = ByteBuffer.wrap(request);
                exchange.channel.write(buffer);
                if (buffer.hasRemaining()) {
                    exchange.fail(); // a request of 50 bytes on a fresh connection: the kernel takes it whole
                }
            }
            long deadline = start + timeout.toNanos();
            int open = (int) exchanges.stream().filter(exchange -> !exchange.done).count();
            ByteBuffer buffer = ByteBuffer.allocate(4096);
            // The middle half of the delay, when every request has been read and no answer is due yet.
            long[] quietMarks = {start + delayMillis * 250_000L, start + delayMillis * 750_000L};
            OptionalLong[] quietCpu = {OptionalLong.empty(), OptionalLong.empty()};
            int nextMark = 0;
            while (open > 0 && System.nanoTime() - deadline < 0) {
                long wakeAt = nextMark < quietMarks.length ? quietMarks[nextMark] : deadline;
                selector.select(Math.max(1, (wakeAt - System.nanoTime()) / 1_000_000));
                long now = System.nanoTime();
                if (nextMark < quietMarks.length && now - quietMarks[nextMark] >= 0) {
                    quietCpu[nextMark++] = cpuTicks(serverStat);
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    Exchange exchange = (Exchange) key.attachment();
                    if (!exchange.done && exchange.readFrom(buffer, now - start)) {
                        open--;
                    }
                }
                selector.selectedKeys().clear();
            }
            OptionalLong cpuAfter = cpuTicks(serverStat);
            for (Exchange exchange : exchanges) {
                exchange.channel.close();
            }
            long answered = exchanges.stream().filter(exchange -> exchange.ok).count();
            long first = exchanges.stream().filter(exchange -> exchange.ok).mapToLong(e -> e.answeredAfterNanos).min()
                    .orElse(0);
            long last = exchanges.stream().filter(exchange -> exchange.ok).mapToLong(e -> e.answeredAfterNanos).max()
                    .orElse(0);
            return new Result(connections, delayMillis, (int) answered, connectNanos, first, last,
                    minus(cpuBeforeRequests, cpuBeforeConnect), minus(cpuAfter, cpuBeforeRequests),
                    minus(quietCpu[1], quietCpu[0]));
        } finally {
            for (Exchange exchange : exchanges) {
                exchange.channel.close();
            }
        }
    }

    private static OptionalLong minus(OptionalLong after, OptionalLong before) {
        return after.isPresent() && before.isPresent() ? OptionalLong.of(after.getAsLong() - before.getAsLong())
                : OptionalLong.empty();
    }

    /** utime + stime in clock ticks (100 per second on Linux), fields 14 and 15 counted after the comm's ')'. */
    private static OptionalLong cpuTicks(Path stat) throws IOException {
        if (stat == null) {
            return OptionalLong.empty();
        }
        String text = Files.readString(stat);
        String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ");
        return OptionalLong.of(Long.parseLong(fields[11]) + Long.parseLong(fields[12]));
    }

    /** One connection's request and answer. */
    private static final class Exchange {
        final SocketChannel channel;
        final StringBuilder head = new StringBuilder();
        long bodyLeft = -1;
        boolean done;
        boolean ok;
        long answeredAfterNanos;

        Exchange(SocketChannel channel) {
            this.channel = channel;
        }

        void fail() {
            done = true;
        }

        /** Reads what has come; true when this exchange has just ended, answered or failed. */
        boolean readFrom(ByteBuffer buffer, long sinceStart) throws IOException {
            buffer.clear();
            int read;
            try {
                read = channel.read(buffer);
            } catch (IOException e) {
                fail();
                return true;
            }
            if (read < 0) {
                fail();
                return true;
            }
            buffer.flip();
            while (buffer.hasRemaining()) {
                if (bodyLeft < 0) {
                    head.append((char) (buffer.get() & 0xff));
                    if (endsWith(head, END_OF_HEAD)) {
                        Matcher status = STATUS.matcher(head);
                        Matcher length = CONTENT_LENGTH.matcher(head);
                        if (!status.find() || !status.group(1).equals("200") || !length.find()) {
                            fail();
                            return true;
                        }
                        bodyLeft = Long.parseLong(length.group(1));
                    }
                } else {
                    int take = (int) Math.min(bodyLeft, buffer.remaining());
                    buffer.position(buffer.position() + take);
                    bodyLeft -= take;
                    if (buffer.hasRemaining()) {
                        fail(); // more than one answer to one request
                        return true;
                    }
                }
            }
            if (bodyLeft == 0) {
                done = true;
                ok = true;
                answeredAfterNanos = sinceStart;
                return true;
            }
            return false;
        }

        private static boolean endsWith(StringBuilder text, byte[] suffix) {
            int offset = text.length() - suffix.length;
            if (offset < 0) {
                return false;
            }
            for (int i = 0; i < suffix.length; i++) {
                if (text.charAt(offset + i) != suffix[i]) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * @param serverCpuConnectTicks over the connecting; serverCpuTicks from the first request to the last answer;
     *     serverCpuQuietTicks over the middle half of the delay; each empty without a server process to read
     */
    record Result(int connections, int delayMillis, int answered, long connectNanos, long firstNanos, long lastNanos,
            OptionalLong serverCpuConnectTicks, OptionalLong serverCpuTicks, OptionalLong serverCpuQuietTicks) {

        String line() {
            return String.format(Locale.ROOT, "delay connections=%d ms=%d answered=%d failed=%d connect_ms=%.1f"
                    + " wall_ms=%.1f first_ms=%.1f server_cpu_connect_ms=%s server_cpu_ms=%s server_cpu_quiet_ms=%s",
                    connections, delayMillis, answered, connections - answered, connectNanos / 1e6, lastNanos / 1e6,
                    firstNanos / 1e6, millis(serverCpuConnectTicks), millis(serverCpuTicks),
                    millis(serverCpuQuietTicks));
        }

        private static String millis(OptionalLong ticks) {
            return ticks.isPresent() ? Long.toString(ticks.getAsLong() * 10) : "";
        }
    }
}
