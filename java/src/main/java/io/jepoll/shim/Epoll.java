package io.jepoll.shim;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.io.Closeable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One epoll instance and the native memory its ready events land in, allocated once.
 * Events are read through a native-order {@link ByteBuffer} view of that memory, never
 * field by field through JNA. Not thread-safe: a loop owns it.
 */
public final class Epoll implements Closeable {

    private final int fd;
    private final int capacity;
    private final Memory memory;
    private final long eventsAddress;
    private final ByteBuffer events;
    private boolean closed;

    private Epoll(int fd, int capacity) {
        this.fd = fd;
        this.capacity = capacity;
        this.memory = new Memory((long) capacity * Shim.EVENT_SIZE);
        this.eventsAddress = Pointer.nativeValue(memory);
        this.events = memory.getByteBuffer(0, memory.size()).order(ByteOrder.nativeOrder());
    }

    /**
     * @param capacity most events one {@link #poll} reports, 1 to {@link Shim#MAX_EVENTS}
     */
    public static Epoll create(int capacity) throws NativeIoException {
        if (capacity < 1 || capacity > Shim.MAX_EVENTS) {
            throw new IllegalArgumentException("capacity must be 1.." + Shim.MAX_EVENTS + ": " + capacity);
        }
        int fd = Shim.epollCreate();
        if (fd < 0) {
            throw new NativeIoException("epoll_create1(EPOLL_CLOEXEC)", fd);
        }
        return new Epoll(fd, capacity);
    }

    public int fd() {
        return fd;
    }

    public int capacity() {
        return capacity;
    }

    /** Registers {@code target} for {@code interest} (EPOLL* bits); events carry {@code tag} back. */
    public void add(int target, int interest, int tag) throws NativeIoException {
        control(Shim.EPOLL_CTL_ADD, "ADD", target, interest, tag);
    }

    public void modify(int target, int interest, int tag) throws NativeIoException {
        control(Shim.EPOLL_CTL_MOD, "MOD", target, interest, tag);
    }

    public void delete(int target) throws NativeIoException {
        control(Shim.EPOLL_CTL_DEL, "DEL", target, 0, 0);
    }

    /**
     * Once closed, refuses as the kernel would: the fd number may already name another epoll set
     * (a listener registered there would never be closed, and would make that loop spin).
     */
    private void control(int op, String opName, int target, int interest, int tag) throws NativeIoException {
        int rc = closed ? -Errno.EBADF : Shim.epollCtl(fd, op, target, interest, tag);
        if (rc < 0) {
            throw new NativeIoException("epoll_ctl(" + opName + ", fd=" + target + ")", rc);
        }
    }

    /**
     * Waits up to {@code timeoutMillis} (0: don't block, -1: forever) and returns how many
     * events are ready; read them with {@link #fd}, {@link #events} and {@link #tag}. A signal
     * interrupting the wait returns 0.
     */
    public int poll(int timeoutMillis) throws NativeIoException {
        int n = Shim.epollWait(fd, eventsAddress, capacity, timeoutMillis);
        if (n < 0) {
            throw new NativeIoException("epoll_wait(epfd=" + fd + ")", n);
        }
        return n;
    }

    /** The fd of ready event {@code i} of the last {@link #poll}. */
    public int fd(int i) {
        return events.getInt(i * Shim.EVENT_SIZE + Shim.EVENT_FD_OFFSET);
    }

    /** The EPOLL* bits of ready event {@code i}. */
    public int events(int i) {
        return events.getInt(i * Shim.EVENT_SIZE + Shim.EVENT_EVENTS_OFFSET);
    }

    /** The tag registered with the fd of ready event {@code i}. */
    public int tag(int i) {
        return events.getInt(i * Shim.EVENT_SIZE + Shim.EVENT_TAG_OFFSET);
    }

    /** Closes the epoll fd once and frees the event memory; later calls do nothing. */
    @Override
    public void close() throws NativeIoException {
        if (closed) {
            return;
        }
        closed = true;
        memory.close();
        int rc = Shim.close(fd);
        if (rc < 0) {
            throw new NativeIoException("close(epfd=" + fd + ")", rc);
        }
    }
}
