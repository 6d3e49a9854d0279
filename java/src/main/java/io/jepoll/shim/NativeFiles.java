package io.jepoll.shim;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Regular files through the shim, for sending with sendfile: each method throws a
 * {@link NativeIoException} naming the failed call instead of returning {@code -errno}.
 */
public final class NativeFiles {

    /** Returned by {@link #sendfile} when the socket takes nothing now. */
    public static final long WOULD_BLOCK = -1;

    /** The charset the JDK encodes file names in, so that the shim opens the file Java would. */
    private static final Charset FILE_NAMES = fileNameCharset();

    private NativeFiles() {
    }

    /**
     * Opens {@code path} read-only and close-on-exec, without blocking on a fifo.
     *
     * @return the new fd; whether it is a regular file is for {@link #size} to say
     */
    public static int open(Path path) throws NativeIoException {
        byte[] name = path.toString().getBytes(FILE_NAMES);
        try (Memory terminated = new Memory(name.length + 1L)) {
            terminated.write(0, name, 0, name.length);
            terminated.setByte(name.length, (byte) 0);
            return check(Shim.openFile(Pointer.nativeValue(terminated)), "open(" + path + ")");
        }
    }

    /**
     * The size of the regular file open as {@code fd}.
     *
     * @throws NativeIoException {@link Errno#EISDIR} for a directory, {@link Errno#EINVAL} for
     *     anything else that is not a regular file (a fifo, a socket, a device)
     */
    public static long size(int fd) throws NativeIoException {
        long size = Shim.fileSize(fd);
        if (size < 0) {
            throw new NativeIoException("fstat(fd=" + fd + ")", (int) size);
        }
        return size;
    }

    /**
     * Reads up to {@code length} bytes at {@code position} into native memory, leaving the
     * file's own position alone.
     *
     * @return bytes read, 0 at the end of the file
     */
    public static int read(int fd, long address, int length, long position) throws NativeIoException {
        return check(Shim.pread(fd, address, length, position), "pread(fd=" + fd + ", position=" + position + ")");
    }

    /**
     * One sendfile of up to {@code count} bytes of the file from {@code offset} to the socket.
     *
     * @return bytes sent; 0 when the file has no bytes at {@code offset}; {@link #WOULD_BLOCK}
     *     when the socket takes nothing now
     */
    public static long sendfile(int socketFd, int fileFd, long offset, long count) throws NativeIoException {
        long n = Shim.sendfile(socketFd, fileFd, offset, count);
        if (n >= 0) {
            return n;
        }
        if (n == -Errno.EAGAIN) {
            return WOULD_BLOCK;
        }
        throw new NativeIoException("sendfile(socket fd=" + socketFd + ", file fd=" + fileFd + ", offset=" + offset
                + ", count=" + count + ")", (int) n);
    }

    private static int check(int result, String call) throws NativeIoException {
        if (result < 0) {
            throw new NativeIoException(call, result);
        }
        return result;
    }

    private static Charset fileNameCharset() {
        String name = System.getProperty("sun.jnu.encoding");
        try {
            return name == null ? StandardCharsets.UTF_8 : Charset.forName(name);
        } catch (RuntimeException unsupported) {
            return StandardCharsets.UTF_8;
        }
    }
}
