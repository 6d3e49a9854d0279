package io.jepoll.loop;

import io.jepoll.net.SendableFile;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A scripted {@link Socket}: what each read returns, how much the "kernel" takes per write, and a
 * record of everything the connection did to it. Loop thread only, except that a test reads the
 * record while the loop is idle (after an {@code onLoop} step returned).
 */
final class FakeSocket implements Socket {

    static final SocketAddress PEER = new InetSocketAddress("192.0.2.1", 4242);
    static final SocketAddress LOCAL = new InetSocketAddress("192.0.2.2", 80);

    /** One scripted read result: bytes (one read's worth, split if the buffer is smaller), the end, or an error. */
    private record Input(byte[] bytes, IOException error) {
    }

    private static final Input END = new Input(null, null);

    private final ArrayDeque<Input> input = new ArrayDeque<>();
    private boolean endReached;
    private long writeCapacity = Long.MAX_VALUE;
    private final ByteArrayOutputStream written = new ByteArrayOutputStream();
    private final List<Integer> interests = new ArrayList<>();
    private int reads;
    private int shutdowns;
    private int writtenAtShutdown = -1;
    private int closes;
    private int callsAfterClose;
    private IOException pendingError;
    private boolean connectDone = true;
    private IOException connectError;

    // --- scripting

    /** The next read returns these bytes (at most a buffer's worth; the rest is the read after). */
    FakeSocket feed(byte[] bytes) {
        input.add(new Input(bytes.clone(), null));
        return this;
    }

    FakeSocket feed(String ascii) {
        return feed(ascii.getBytes(StandardCharsets.US_ASCII));
    }

    /** Once the scripted bytes are read: end of stream, for good. */
    FakeSocket feedEnd() {
        input.add(END);
        return this;
    }

    /** Once the scripted bytes are read: this error, for good. */
    FakeSocket feedError(IOException error) {
        input.add(new Input(null, error));
        return this;
    }

    /** How many more bytes the kernel takes from now on; 0: writes would block. */
    FakeSocket writeCapacity(long bytes) {
        writeCapacity = bytes;
        return this;
    }

    FakeSocket pendingError(IOException error) {
        pendingError = error;
        return this;
    }

    /** What finishConnect answers: still in progress (false), or done (true). */
    FakeSocket connectDone(boolean done) {
        connectDone = done;
        return this;
    }

    FakeSocket connectFails(IOException error) {
        connectError = error;
        return this;
    }

    // --- the record

    String written() {
        return written.toString(StandardCharsets.ISO_8859_1);
    }

    byte[] writtenBytes() {
        return written.toByteArray();
    }

    List<Integer> interests() {
        return interests;
    }

    /** Read calls, including those answering would-block or end of stream. */
    int reads() {
        return reads;
    }

    boolean hasUnreadInput() {
        return !input.isEmpty();
    }

    int shutdowns() {
        return shutdowns;
    }

    /** How many bytes had been written when the output was shut down; -1 if it never was. */
    int writtenAtShutdown() {
        return writtenAtShutdown;
    }

    int closes() {
        return closes;
    }

    /** Reads, writes and shutdowns after close: the fd could belong to another socket by then. */
    int callsAfterClose() {
        return callsAfterClose;
    }

    // --- Socket

    @Override
    public int read(ByteBuffer buffer, long address) throws IOException {
        use();
        reads++;
        if (endReached) {
            return END_OF_STREAM;
        }
        Input next = input.peek();
        if (next == null) {
            return WOULD_BLOCK;
        }
        if (next == END) {
            endReached = true;
            input.poll();
            return END_OF_STREAM;
        }
        if (next.error != null) {
            throw next.error;
        }
        int n = Math.min(next.bytes.length, buffer.remaining());
        buffer.put(next.bytes, 0, n);
        input.poll();
        if (n < next.bytes.length) {
            input.addFirst(new Input(Arrays.copyOfRange(next.bytes, n, next.bytes.length), null));
        }
        return n;
    }

    @Override
    public int write(ByteBuffer src) {
        use();
        int n = (int) Math.min(src.remaining(), writeCapacity);
        byte[] bytes = new byte[n];
        src.get(bytes);
        take(bytes);
        return n;
    }

    /** Takes from the front chunks without moving them, then advances the queue as the native socket does. */
    @Override
    public long writeQueued(OutputQueue output) {
        use();
        long n = 0;
        for (int i = 0; i < output.chunks() && writeCapacity > 0; i++) {
            ByteBuffer chunk = output.chunk(i).buffer.duplicate();
            int step = (int) Math.min(chunk.remaining(), writeCapacity);
            byte[] bytes = new byte[step];
            chunk.get(bytes);
            take(bytes);
            n += step;
        }
        output.advance(n);
        return n;
    }

    private void take(byte[] bytes) {
        written.writeBytes(bytes);
        if (writeCapacity != Long.MAX_VALUE) {
            writeCapacity -= bytes.length;
        }
    }

    @Override
    public SendableFile openFile(Path path) throws IOException {
        return ChannelFile.open(path);
    }

    /** Takes what the write capacity allows of the file, as the kernel takes it from the page cache. */
    @Override
    public long sendFile(SendableFile file, long position, long count) throws IOException {
        use();
        ByteBuffer taken = ByteBuffer.allocate((int) Math.min(count, Math.min(writeCapacity, 1 << 20)));
        if (taken.hasRemaining() && file.read(taken, position) < 0) {
            throw new EOFException(file + " ends before position " + position);
        }
        byte[] bytes = new byte[taken.position()];
        taken.flip().get(bytes);
        take(bytes);
        return bytes.length;
    }

    @Override
    public void interest(int readiness) {
        use();
        interests.add(readiness);
    }

    @Override
    public boolean finishConnect(SocketAddress target) throws IOException {
        use();
        if (connectError != null) {
            throw connectError;
        }
        return connectDone;
    }

    @Override
    public IOException pendingError() {
        IOException error = pendingError;
        pendingError = null;
        return error;
    }

    @Override
    public void shutdownOutput() {
        use();
        shutdowns++;
        writtenAtShutdown = written.size();
    }

    @Override
    public void close() {
        closes++;
    }

    @Override
    public SocketAddress localAddress() {
        return LOCAL;
    }

    @Override
    public SocketAddress remoteAddress() {
        return PEER;
    }

    private void use() {
        if (closes > 0) {
            callsAfterClose++;
        }
    }
}
