package io.jepoll.shim;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The JNA binding of {@code native/jepoll.h}: one static method per C function, constants
 * named as in the header, nothing else. Internal to jepoll; the event loops are its users.
 *
 * <p>Every call returns {@code >= 0} or {@code -errno}; callers test {@code < 0} and turn the
 * code into a {@link NativeIoException} where it is an error for them. Memory arguments are
 * raw addresses ({@code long}) of native memory or direct buffers, which keeps JNA direct
 * mapping on its fast path.
 *
 * <p>The methods are registered only when the library loaded; check {@link #isAvailable()}
 * first, or any call throws {@link UnsatisfiedLinkError}.
 */
public final class Shim {

    /** The ABI this binding was written against; the loaded library must report the same. */
    public static final int ABI_VERSION = 2;

    public static final int EPOLLIN = 0x001;
    public static final int EPOLLPRI = 0x002;
    public static final int EPOLLOUT = 0x004;
    public static final int EPOLLERR = 0x008;
    public static final int EPOLLHUP = 0x010;
    public static final int EPOLLRDHUP = 0x2000;
    public static final int EPOLLEXCLUSIVE = 1 << 28;
    public static final int EPOLLONESHOT = 1 << 30;
    public static final int EPOLLET = 1 << 31;

    public static final int EPOLL_CTL_ADD = 1;
    public static final int EPOLL_CTL_DEL = 2;
    public static final int EPOLL_CTL_MOD = 3;

    /** Bytes per event written by {@link #epollWait}: int32 fd, uint32 events, int32 tag. */
    public static final int EVENT_SIZE = 12;
    public static final int EVENT_FD_OFFSET = 0;
    public static final int EVENT_EVENTS_OFFSET = 4;
    public static final int EVENT_TAG_OFFSET = 8;
    public static final int MAX_EVENTS = 1024;

    /** Bytes of a socket address: int32 family (4|6), int32 port, uint32 scope, 16 address bytes. */
    public static final int ADDRESS_SIZE = 28;

    public static final int SO_REUSEADDR = 1;
    public static final int SO_REUSEPORT = 2;
    public static final int SO_KEEPALIVE = 3;
    public static final int SO_RCVBUF = 4;
    public static final int SO_SNDBUF = 5;
    public static final int SO_LINGER = 6;
    public static final int SO_ERROR = 7;
    public static final int TCP_NODELAY = 8;
    public static final int TCP_KEEPIDLE = 9;
    public static final int TCP_KEEPINTVL = 10;
    public static final int TCP_KEEPCNT = 11;
    public static final int IPV6_V6ONLY = 12;

    public static final int SHUT_RD = 0;
    public static final int SHUT_WR = 1;
    public static final int SHUT_RDWR = 2;

    /** Most (address, length) pairs one {@link #writev} takes. */
    public static final int IOV_MAX = 1024;

    private static final ShimLoader.Outcome OUTCOME = ShimLoader.load();

    private Shim() {
    }

    /** Whether the native library loaded and its functions can be called. */
    public static boolean isAvailable() {
        return OUTCOME.library().isPresent();
    }

    /** Why the native library is not available, in one line that says how to fix it; empty when it is. */
    public static Optional<String> unavailabilityReason() {
        return OUTCOME.failure();
    }

    /** The file the native library was loaded from, when it loaded. */
    public static Optional<Path> libraryFile() {
        return OUTCOME.library();
    }

    /** Where the loaded file came from: the class path resource's URL, or the system property. */
    public static Optional<String> librarySource() {
        return OUTCOME.source();
    }

    /** Throws {@link IllegalStateException} with {@link #unavailabilityReason()} unless available. */
    public static void requireAvailable() {
        OUTCOME.failure().ifPresent(reason -> {
            throw new IllegalStateException(reason);
        });
    }

    public static native int abiVersion();

    public static native int epollCreate();

    public static native int epollCtl(int epfd, int op, int fd, int events, int tag);

    public static native int epollWait(int epfd, long eventsOut, int maxEvents, int timeoutMillis);

    public static native int socket(int family);

    public static native int bind(int fd, long address);

    public static native int listen(int fd, int backlog);

    public static native int accept(int listenFd, long addressOut);

    public static native int acceptBatch(int listenFd, long fdsOut, int max);

    public static native int connect(int fd, long address);

    public static native int read(int fd, long buf, int len);

    public static native int write(int fd, long buf, int len);

    public static native int writev(int fd, long iov, int count);

    public static native int shutdown(int fd, int how);

    public static native int close(int fd);

    public static native int openFile(long path);

    public static native long fileSize(int fd);

    public static native int pread(int fd, long buf, int len, long offset);

    public static native long sendfile(int outFd, int inFd, long offset, long count);

    public static native int eventfd();

    public static native long eventfdRead(int fd);

    public static native int eventfdWrite(int fd, long value);

    public static native int getsockopt(int fd, int option);

    public static native int setsockopt(int fd, int option, int value);

    public static native int localAddress(int fd, long addressOut);

    public static native int peerAddress(int fd, long addressOut);

    public static native String errnoName(int errnum);

    public static native String errnoText(int errnum);
}
