package io.jepoll.loop;

import java.io.IOException;
import java.net.SocketAddress;
import io.jepoll.net.SendableFile;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * The calls a {@link SocketConnection} makes on its socket, none of them blocking: a native fd
 * through the shim, or a java.nio channel. Each counts the system call it makes.
 */
interface Socket {

    /** Returned by {@link #read} when the socket has nothing more for now. */
    int WOULD_BLOCK = -2;
    /** Returned by {@link #read} at end of stream. */
    int END_OF_STREAM = -1;

    /**
     * Reads into {@code buffer} from its position, and moves it.
     *
     * @param address {@code buffer}'s native address (the loop's read buffer has one)
     * @return bytes read, {@link #WOULD_BLOCK} or {@link #END_OF_STREAM}
     */
    int read(ByteBuffer buffer, long address) throws IOException;

    /** Writes from {@code src} and moves its position: bytes written, maybe 0. */
    int write(ByteBuffer src) throws IOException;

    /** Writes the front of {@code output} in one gathering call and takes what went out off it: bytes written, maybe 0. */
    long writeQueued(OutputQueue output) throws IOException;

    /** Opens a regular file that {@link #sendFile} takes. */
    SendableFile openFile(Path path) throws IOException;

    /**
     * One sendfile (or transferTo) of up to {@code count > 0} bytes of {@code file} from {@code position}.
     *
     * @return bytes sent, 0 when the socket takes nothing now
     * @throws java.io.EOFException when the file has no bytes at {@code position}
     * @throws IllegalArgumentException when {@code file} is not this transport's, or closed
     */
    long sendFile(SendableFile file, long position, long count) throws IOException;

    /** Asks for the {@link Readiness} bits to report from now on (level-triggered registrations only). */
    void interest(int readiness) throws IOException;

    /**
     * Completes an outbound connect once the poller reported it writable or failed.
     *
     * @return false while it is still in progress
     * @throws IOException why it failed, naming {@code target}
     */
    boolean finishConnect(SocketAddress target) throws IOException;

    /** The error the kernel holds for this socket (reading it clears it), or null. */
    IOException pendingError();

    void shutdownOutput() throws IOException;

    /** Deregisters and closes; called exactly once. */
    void close();

    SocketAddress localAddress() throws IOException;

    SocketAddress remoteAddress() throws IOException;
}
