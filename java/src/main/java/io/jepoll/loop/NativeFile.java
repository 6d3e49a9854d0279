package io.jepoll.loop;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.jepoll.net.SendableFile;
import io.jepoll.shim.Errno;
import io.jepoll.shim.NativeFiles;
import io.jepoll.shim.NativeIoException;
import io.jepoll.shim.Shim;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/** A file for the epoll transports: an fd opened through the shim, sent with sendfile(2). */
final class NativeFile implements SendableFile {

    /** Most bytes one read into a heap buffer copies through native memory. */
    private static final int MOST_HEAP_BYTES_PER_READ = 64 * 1024;

    private final AtomicInteger fd;
    private final long size;
    private final Path path;

    private NativeFile(int fd, long size, Path path) {
        this.fd = new AtomicInteger(fd);
        this.size = size;
        this.path = path;
    }

    /** Opens {@code path} and checks that it is a regular file: two shim calls, counted as set-up. */
    static NativeFile open(Path path, LoopCounters counters) throws IOException {
        counters.countNative(Call.OTHER);
        int fd = NativeFiles.open(path);
        try {
            counters.countNative(Call.OTHER);
            return new NativeFile(fd, NativeFiles.size(fd), path);
        } catch (NativeIoException e) {
            Shim.close(fd);
            if (e.errno() == Errno.EISDIR) {
                throw new IOException(path + " is a directory, not a regular file", e);
            }
            if (e.errno() == Errno.EINVAL) {
                throw new IOException(path + " is not a regular file", e);
            }
            throw e;
        }
    }

    /** The fd of {@code file}, which must be a native file, and open. */
    static int fdOf(SendableFile file) {
        if (!(file instanceof NativeFile nativeFile)) {
            throw new IllegalArgumentException("an epoll connection sends files opened by an epoll connection's "
                    + "openFile, not " + file);
        }
        int fd = nativeFile.fd.get();
        if (fd < 0) {
            throw new IllegalArgumentException(file + " is closed");
        }
        return fd;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        if (position < 0) {
            throw new IllegalArgumentException("position < 0: " + position);
        }
        int fd = this.fd.get();
        if (fd < 0) {
            throw new ClosedChannelException();
        }
        if (!dst.hasRemaining()) {
            return 0;
        }
        int n;
        if (dst.isDirect()) {
            long address = Pointer.nativeValue(Native.getDirectBufferPointer(dst)) + dst.position();
            n = NativeFiles.read(fd, address, dst.remaining(), position);
            dst.position(dst.position() + n);
        } else {
            try (Memory through = new Memory(Math.min(dst.remaining(), MOST_HEAP_BYTES_PER_READ))) {
                n = NativeFiles.read(fd, Pointer.nativeValue(through), (int) through.size(), position);
                dst.put(through.getByteArray(0, n));
            }
        }
        return n == 0 ? -1 : n;
    }

    @Override
    public void close() {
        int open = fd.getAndSet(-1);
        if (open >= 0) {
            Shim.close(open);
        }
    }

    @Override
    public String toString() {
        return "file " + path + (fd.get() < 0 ? " (closed)" : " (fd " + fd.get() + ")");
    }
}
