package io.jepoll.server;

import static io.jepoll.echo.EchoClients.assumeAvailable;
import static io.jepoll.echo.EchoClients.awaitNoProgress;
import static io.jepoll.echo.EchoClients.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.Library;
import com.sun.jna.Native;
import io.jepoll.echo.EchoClients;
import io.jepoll.echo.ProcessResources;
import io.jepoll.echo.SeededBytes;
import io.jepoll.loop.Call;
import io.jepoll.loop.Transport;
import io.jepoll.net.Connection;
import io.jepoll.net.Handler;
import io.jepoll.net.SendableFile;
import io.jepoll.net.SocketOptions;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Files sent with {@link Connection#sendFile} over real loopback TCP on every transport: exact
 * bytes to slow readers, order after written output, regions, no memory held for the file, a
 * reset peer, what cannot be opened, and no fd left behind.
 */
@Timeout(120)
class SendFileTest {

    private static final long SEED = 2026;
    private static final int FILE_SIZE = 64 << 20;
    /** Small socket buffers on both sides, so that the server is often ahead of the reader. */
    private static final int SOCKET_BUFFER = 64 * 1024;

    @TempDir
    static Path directory;

    private static Path file;

    @BeforeAll
    static void writeTheFile() throws IOException {
        file = directory.resolve("seeded-64MiB");
        SeededBytes bytes = new SeededBytes(SEED);
        byte[] chunk = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int i = 0; i < FILE_SIZE / chunk.length; i++) {
                bytes.fill(chunk);
                out.write(chunk);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aSlowReaderGetsTheWholeFileByteExactWithNothingQueued(Transport transport) throws Exception {
        BlockingQueue<FileSender> senders = new LinkedBlockingQueue<>();
        try (TcpServer server = server(transport, () -> offer(senders, new FileSender(file, 0, FILE_SIZE, null)));
                Socket client = connect(server)) {
            EchoClients.readAndVerify(client.getInputStream(), SEED, FILE_SIZE, 64 * 1024, 1 << 20, 10);
            EchoClients.assertEndOfStream(client);

            FileSender sender = senders.take();
            assertThat(sender.closed.get(5, TimeUnit.SECONDS)).as("close cause").isNull();
            long sendfiles = server.stats().calls(Call.SENDFILE);
            if (transport == Transport.BLOCKING) {
                assertThat(sendfiles).as("transferTo calls").isPositive();
            } else {
                assertThat(sender.maxPendingAfterSend).as("output queued after a sendFile").isZero();
                assertThat(sender.writables).as("onWritable calls: the reader really was behind").isPositive();
                assertThat(sendfiles).as("sendfile calls").isGreaterThan(sender.writables);
            }
        }
    }

    /**
     * The file as the answer to a request, as a server sends it: after a read. (On a virtual
     * thread, JDK 21+, the blocking transport's socket is non-blocking underneath from the first
     * read on, and transferTo then returns 0 instead of blocking.)
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void aFileAskedForGoesToASlowReaderByteExact(Transport transport) throws Exception {
        BlockingQueue<FileSender> senders = new LinkedBlockingQueue<>();
        try (TcpServer server = server(transport, () -> {
                    FileSender sender = new FileSender(file, 0, FILE_SIZE, null);
                    sender.startsOnData = true;
                    return offer(senders, sender);
                });
                Socket client = connect(server)) {
            client.getOutputStream().write('?');
            EchoClients.readAndVerify(client.getInputStream(), SEED, FILE_SIZE, 64 * 1024, 1 << 20, 10);
            EchoClients.assertEndOfStream(client);
            assertThat(senders.take().closed.get(5, TimeUnit.SECONDS)).as("close cause").isNull();
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void bytesWrittenBeforeTheFileArriveBeforeIt(Transport transport) throws Exception {
        byte[] prefix = SeededBytes.array(SEED + 1, 1 << 20);
        BlockingQueue<FileSender> senders = new LinkedBlockingQueue<>();
        try (TcpServer server = server(transport, () -> offer(senders, new FileSender(file, 0, FILE_SIZE, prefix)));
                Socket client = connect(server)) {
            FileSender sender = senders.take();
            InputStream in = client.getInputStream();
            assertThat(in.readNBytes(prefix.length)).as("the written bytes, first").isEqualTo(prefix);
            EchoClients.readAndVerify(in, SEED, FILE_SIZE, 64 * 1024, 4 << 20, 0);
            EchoClients.assertEndOfStream(client);

            assertThat(sender.closed.get(5, TimeUnit.SECONDS)).as("close cause").isNull();
            if (transport != Transport.BLOCKING) {
                assertThat(sender.returns.get(0)).as("the first sendFile, with 1 MiB still queued").isZero();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aRegionSendsExactlyThatRegion(Transport transport) throws Exception {
        long position = 12_345;
        long count = 1_000_001;
        try (TcpServer server = server(transport, () -> new FileSender(file, position, count, null));
                Socket client = connect(server)) {
            byte[] received = client.getInputStream().readAllBytes();
            byte[] expected = Arrays.copyOfRange(SeededBytes.array(SEED, (int) (position + count)), (int) position,
                    (int) (position + count));
            assertThat(received.length).as("bytes before the end of stream").isEqualTo(count);
            assertThat(received).isEqualTo(expected);
        }
    }

    /** A file shorter than the region asked for (it shrank since it was opened, say) cannot be told apart by the peer. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void aFileThatEndsBeforeTheRegionClosesTheConnectionWithAnEOFException(Transport transport) throws Exception {
        Path small = directory.resolve("short-" + transport);
        Files.write(small, SeededBytes.array(SEED, 100_000));
        BlockingQueue<FileSender> senders = new LinkedBlockingQueue<>();
        try (TcpServer server = server(transport, () -> offer(senders, new FileSender(small, 90_000, 20_000, null)));
                Socket client = connect(server)) {
            assertThat(senders.take().closed.get(10, TimeUnit.SECONDS)).as("close cause")
                    .isInstanceOf(EOFException.class).hasMessageContaining(small.toString());
            byte[] received = client.getInputStream().readNBytes(10_000);
            assertThat(received).isEqualTo(Arrays.copyOfRange(SeededBytes.array(SEED, 100_000), 90_000, 100_000));
        } finally {
            Files.delete(small);
        }
    }

    /**
     * The connection keeps no part of a 1 GiB file in memory for a reader that stopped: the
     * heap and direct memory stay where they were, far below the file's size.
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void aStalledReaderOfA1GiBFileCostsNoMemoryForTheFile(Transport transport) throws Exception {
        Path large = directory.resolve("sparse-1GiB-" + transport);
        try (RandomAccessFile sparse = new RandomAccessFile(large.toFile(), "rw")) {
            sparse.setLength(1L << 30);
        }
        BlockingQueue<FileSender> senders = new LinkedBlockingQueue<>();
        try (TcpServer server = server(transport, () -> offer(senders, new FileSender(large, 0, 1L << 30, null)))) {
            ProcessResources.Memory before = ProcessResources.afterGc();
            try (Socket client = connect(server)) {
                assertThat(client.getInputStream().readNBytes(4 << 20)).hasSize(4 << 20);
                awaitNoProgress("the server's bytes written", () -> server.stats().bytesWritten(),
                        Duration.ofMillis(300));
                ProcessResources.Memory stalled = ProcessResources.afterGc();

                assertThat(stalled.heapBytes() - before.heapBytes()).as("heap grown; before %s, stalled %s", before,
                        stalled).isLessThan(16L << 20);
                assertThat(stalled.directBytes() - before.directBytes()).as("direct memory grown")
                        .isLessThan(4L << 20);
                FileSender sender = senders.take();
                if (transport != Transport.BLOCKING) {
                    assertThat(sender.maxPendingAfterSend).as("output queued after a sendFile").isZero();
                }
                client.setSoLinger(true, 0);
            }
        } finally {
            Files.delete(large);
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aPeerThatResetsMidFileClosesOnlyItsConnection(Transport transport) throws Exception {
        BlockingQueue<FileSender> senders = new LinkedBlockingQueue<>();
        try (TcpServer server = server(transport, () -> offer(senders, new FileSender(file, 0, FILE_SIZE, null)));
                Socket resetting = connect(server);
                Socket patient = connect(server)) {
            FileSender first = senders.take();
            FileSender second = senders.take();
            awaitTrue("both connections to have the file open", () -> fdsOn(file) == 2);

            assertThat(resetting.getInputStream().readNBytes(1 << 20)).hasSize(1 << 20);
            resetting.setSoLinger(true, 0);
            resetting.close();
            FileSender reset = awaitValue(() -> first.closed.isDone() ? first : second.closed.isDone() ? second : null);
            assertThat(reset.closed.get()).as("the reset connection's close cause").isInstanceOf(IOException.class);
            awaitTrue("the reset connection's file to be closed by its handler", () -> fdsOn(file) == 1);

            EchoClients.readAndVerify(patient.getInputStream(), SEED, FILE_SIZE, 64 * 1024, 4 << 20, 0);
            EchoClients.assertEndOfStream(patient);
            FileSender other = reset == first ? second : first;
            assertThat(other.closed.get(5, TimeUnit.SECONDS)).as("the other connection's close cause").isNull();
            awaitTrue("every file closed", () -> fdsOn(file) == 0);
        }
    }

    /**
     * A task can still end a connection whose file send the peer holds up. On BLOCKING the send
     * is blocked in the kernel, and must return although nothing closes the file meanwhile.
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void anAbortEndsAConnectionWhoseFileSendIsHeldUp(Transport transport) throws Exception {
        BlockingQueue<FileSender> senders = new LinkedBlockingQueue<>();
        try (TcpServer server = server(transport, () -> {
                    FileSender sender = new FileSender(file, 0, FILE_SIZE, null);
                    sender.closesFileOnClose = false;
                    return offer(senders, sender);
                });
                Socket client = connect(server)) {
            FileSender sender = senders.take();
            awaitNoProgress("the server's bytes written", () -> server.stats().bytesWritten(), Duration.ofMillis(200));
            sender.connection.execute(sender.connection::abort);
            assertThat(sender.closed.get(10, TimeUnit.SECONDS)).as("close cause of an abort").isNull();
            long firstSend = sender.firstSend.get(10, TimeUnit.SECONDS);
            if (transport == Transport.BLOCKING) {
                assertThat(firstSend).as("the blocked sendFile's return on a connection aborted meanwhile").isZero();
            } else {
                assertThat(firstSend).as("the first sendFile's return").isPositive();
            }
            assertThat(fdsOn(file)).as("fds on the file, still open").isEqualTo(1);
            sender.file.close();
            assertThat(fdsOn(file)).as("fds on the file, closed").isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void openingADirectoryOrAFifoFailsNamingThePath(Transport transport) throws Exception {
        Path fifo = directory.resolve("fifo-" + transport);
        assertThat(LibC.INSTANCE.mkfifo(fifo.toString(), 0600)).as("mkfifo").isZero();
        CompletableFuture<List<String>> failures = new CompletableFuture<>();
        Handler opener = new Handler() {
            @Override
            public void onOpen(Connection connection) {
                List<String> messages = new ArrayList<>();
                for (Path path : List.of(directory, fifo)) {
                    try (SendableFile opened = connection.openFile(path)) {
                        messages.add("opened " + opened);
                    } catch (IOException e) {
                        messages.add(e.getMessage());
                    }
                }
                failures.complete(messages);
                connection.close();
            }

            @Override
            public void onData(Connection connection, ByteBuffer in) {
                in.position(in.limit());
            }
        };
        try (TcpServer server = server(transport, () -> opener); Socket client = connect(server)) {
            assertThat(failures.get(10, TimeUnit.SECONDS)).containsExactly(
                    directory + " is a directory, not a regular file",
                    fifo + " is not a regular file");
        } finally {
            Files.delete(fifo);
        }
    }

    /** The copying path (for a later TLS layer, say): positional reads into heap and direct buffers. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void readCopiesBytesAtAPositionAndCloseIsIdempotent(Transport transport) throws Exception {
        CompletableFuture<List<Object>> seen = new CompletableFuture<>();
        Handler reader = new Handler() {
            @Override
            public void onOpen(Connection connection) {
                List<Object> results = new ArrayList<>();
                try {
                    SendableFile opened = connection.openFile(file);
                    results.add(opened.size());
                    ByteBuffer heap = ByteBuffer.allocate(100_000);
                    results.add(opened.read(heap, 1_000_000));
                    results.add(Arrays.copyOf(heap.array(), heap.position()));
                    ByteBuffer direct = ByteBuffer.allocateDirect(10);
                    results.add(opened.read(direct, FILE_SIZE - 4));
                    byte[] tail = new byte[direct.position()];
                    direct.get(0, tail);
                    results.add(tail);
                    results.add(opened.read(ByteBuffer.allocate(10), FILE_SIZE));
                    opened.close();
                    opened.close();
                    try {
                        opened.read(ByteBuffer.allocate(10), 0);
                        results.add("read after close");
                    } catch (IOException expected) {
                        results.add("closed");
                    }
                } catch (IOException e) {
                    results.add(e);
                }
                seen.complete(results);
                connection.close();
            }

            @Override
            public void onData(Connection connection, ByteBuffer in) {
                in.position(in.limit());
            }
        };
        byte[] content = SeededBytes.array(SEED, FILE_SIZE);
        try (TcpServer server = server(transport, () -> reader); Socket client = connect(server)) {
            List<Object> results = seen.get(10, TimeUnit.SECONDS);
            assertThat(results).hasSize(7);
            assertThat(results.get(0)).as("size").isEqualTo((long) FILE_SIZE);
            int heapRead = (Integer) results.get(1);
            assertThat(heapRead).as("bytes read into a heap buffer").isPositive();
            assertThat((byte[]) results.get(2)).isEqualTo(Arrays.copyOfRange(content, 1_000_000, 1_000_000 + heapRead));
            assertThat(results.get(3)).as("bytes read at the end").isEqualTo(4);
            assertThat((byte[]) results.get(4)).isEqualTo(Arrays.copyOfRange(content, FILE_SIZE - 4, FILE_SIZE));
            assertThat(results.get(5)).as("a read past the end").isEqualTo(-1);
            assertThat(results.get(6)).isEqualTo("closed");
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void twoHundredFilesSentAndClosedLeaveTheFdCountAsItWas(Transport transport) throws Exception {
        Path small = directory.resolve("small-" + transport);
        Files.write(small, SeededBytes.array(SEED, 100_000));
        try (TcpServer server = server(transport, () -> new FileSender(small, 0, 100_000, null))) {
            fetch(server, 20, small);
            long before = ProcessResources.openFds();
            Map<String, String> targetsBefore = ProcessResources.openFdTargets();
            fetch(server, 200, small);
            long after = ProcessResources.openFds();
            for (int i = 0; i < 50 && after != before; i++) {
                Thread.sleep(100);
                after = ProcessResources.openFds();
            }
            assertThat(after).as("open fds after sending 200 files; before %s, now %s", targetsBefore,
                    ProcessResources.openFdTargets()).isEqualTo(before);
        } finally {
            Files.delete(small);
        }
    }

    /** Fetches the file {@code times} times, and waits until the server has closed every connection. */
    private static void fetch(TcpServer server, int times, Path small) throws Exception {
        byte[] expected = Files.readAllBytes(small);
        for (int i = 0; i < times; i++) {
            try (Socket client = connect(server)) {
                assertThat(client.getInputStream().readAllBytes()).isEqualTo(expected);
            }
        }
        awaitTrue("the server to close every connection",
                () -> server.stats().connectionsClosed() == server.stats().connectionsOpened());
    }

    /**
     * Sends {@code count} bytes of a file from {@code position}, after {@code prefix} if given,
     * going on from onWritable, then closes; closes its file when the connection closes.
     */
    private static final class FileSender implements Handler {
        private final Path path;
        private final long end;
        private final byte[] prefix;
        private long position;
        private volatile SendableFile file;
        volatile boolean closesFileOnClose = true;
        volatile boolean startsOnData;
        volatile Connection connection;
        volatile long maxPendingAfterSend;
        volatile int writables;
        final List<Long> returns = new ArrayList<>();
        final CompletableFuture<Throwable> closed = new CompletableFuture<>();
        final CompletableFuture<Long> firstSend = new CompletableFuture<>();

        FileSender(Path path, long position, long count, byte[] prefix) {
            this.path = path;
            this.position = position;
            this.end = position + count;
            this.prefix = prefix;
        }

        @Override
        public void onOpen(Connection connection) {
            this.connection = connection;
            try {
                file = connection.openFile(path);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
            if (prefix != null) {
                connection.write(ByteBuffer.wrap(prefix));
            }
            if (!startsOnData) {
                send(connection);
            }
        }

        @Override
        public void onWritable(Connection connection) {
            writables++;
            send(connection);
        }

        private void send(Connection connection) {
            if (position >= end || !connection.isOpen()) {
                return;
            }
            long n = connection.sendFile(file, position, end - position);
            firstSend.complete(n);
            synchronized (returns) {
                returns.add(n);
            }
            position += n;
            maxPendingAfterSend = Math.max(maxPendingAfterSend, connection.pendingOutputBytes());
            if (position == end) {
                connection.close();
            }
        }

        @Override
        public void onData(Connection connection, ByteBuffer in) {
            in.position(in.limit());
            if (startsOnData && !firstSend.isDone()) {
                send(connection);
            }
        }

        @Override
        public void onClose(Connection connection, Throwable cause) {
            if (file != null && closesFileOnClose) {
                file.close();
            }
            closed.complete(cause);
        }
    }

    private static TcpServer server(Transport transport, Supplier<Handler> handlers) throws IOException {
        assumeAvailable(transport);
        return TcpServer.builder().transport(transport).handler(handlers)
                .options(SocketOptions.builder().sendBufferSize(SOCKET_BUFFER).build())
                .shutdownGrace(Duration.ofSeconds(2)).build().start();
    }

    private static Socket connect(TcpServer server) throws IOException {
        return EchoClients.connect(server.localAddress(), SOCKET_BUFFER);
    }

    private static Handler offer(BlockingQueue<FileSender> senders, FileSender sender) {
        senders.add(sender);
        return sender;
    }

    private static <T> T awaitValue(Supplier<T> sample) throws InterruptedException {
        return EchoClients.awaitValue("a value", sample, value -> value != null);
    }

    /** How many of this process's fds are open on {@code path}. */
    private static long fdsOn(Path path) {
        try {
            String target = path.toRealPath().toString();
            return ProcessResources.openFdTargets().values().stream().filter(target::equals).count();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** mkfifo(3), which java.nio cannot do. */
    interface LibC extends Library {
        LibC INSTANCE = Native.load("c", LibC.class);

        int mkfifo(String path, int mode);
    }
}
