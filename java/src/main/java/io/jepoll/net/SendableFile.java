package io.jepoll.net;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A regular file opened for sending with {@link Connection#sendFile}, from
 * {@link Connection#openFile}: a native fd on the epoll transports, a
 * {@link java.nio.channels.FileChannel} on the others.
 *
 * <p>Whoever opened it owns it: a connection never closes it, not even when it closes itself,
 * so close it once no connection sends from it any more (from {@link Handler#onClose}, for
 * example). Sending and reading are positional and keep no state, so several connections, on
 * any loop of the same transport, may send from one file at once.
 */
public interface SendableFile extends AutoCloseable {

    /** {@return the file's size in bytes when it was opened} */
    long size();

    /**
     * Reads bytes at {@code position} into {@code dst}, from its position, and moves it: for
     * paths that must copy the bytes instead of sending them as they are (a TLS layer, say).
     * The file has no position of its own to move.
     *
     * @param dst where the bytes go, from its position to its limit
     * @param position the offset in the file of the first byte to read
     * @return bytes read, possibly 0 when {@code dst} has no room; -1 when {@code position} is at
     *     or past the end of the file
     * @throws IOException when the read fails or the file is closed
     */
    int read(ByteBuffer dst, long position) throws IOException;

    /** Closes the file; closing it again does nothing. */
    @Override
    void close();
}
