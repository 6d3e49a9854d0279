package io.jepoll.shim;

import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code native/jepoll.h} for Java: one static method per C function, constants named as in the
 * header, nothing else. Internal to jepoll; the event loops are its users. The calls go through
 * the binding {@link ShimLoader} chose, JNA's direct mapping or FFM (see {@link #binding()}).
 *
 * <p>Every call returns {@code >= 0} or {@code -errno}; callers test {@code < 0} and turn the
 * code into a {@link NativeIoException} where it is an error for them. Memory arguments are
 * raw addresses ({@code long}) of native memory or direct buffers, which keeps both bindings on
 * their fast paths.
 *
 * <p>The methods are bound only when the library loaded; check {@link #isAvailable()}
 * first, or any call throws {@link UnsatisfiedLinkError}.
 */
public final class Shim {

    /** The ABI this binding was written against; the loaded library must report the same. */
    public static final int ABI_VERSION = 3;

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

    /** The longest Unix socket path, in bytes: sun_path keeps one of its 108 for the terminating NUL. */
    public static final int UNIX_PATH_MAX = 107;
    /** Bytes {@link #unixLocalPath} and {@link #unixPeerPath} may write. */
    public static final int UNIX_PATH_SIZE = 108;

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

    /** A constant, so that each call below compiles to a direct call of the one binding chosen. */
    private static final NativeBinding BINDING = OUTCOME.binding();

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

    /** The binding the calls go through: {@code jna} (the default) or {@code ffm} ({@code -Djepoll.binding=ffm}, JDK 22+). */
    public static String binding() {
        return BINDING.name();
    }

    /**
     * Why the binding {@code -Djepoll.binding} asked for is not the one in use, in one line; empty when
     * it is (or when the library did not load at all: see {@link #unavailabilityReason()}).
     */
    public static Optional<String> bindingFallback() {
        return OUTCOME.bindingFallback();
    }

    /** Throws {@link IllegalStateException} with {@link #unavailabilityReason()} unless available. */
    public static void requireAvailable() {
        OUTCOME.failure().ifPresent(reason -> {
            throw new IllegalStateException(reason);
        });
    }

    public static int abiVersion() {
        return BINDING.abiVersion();
    }

    public static int epollCreate() {
        return BINDING.epollCreate();
    }

    public static int epollCtl(int epfd, int op, int fd, int events, int tag) {
        return BINDING.epollCtl(epfd, op, fd, events, tag);
    }

    public static int epollWait(int epfd, long eventsOut, int maxEvents, int timeoutMillis) {
        return BINDING.epollWait(epfd, eventsOut, maxEvents, timeoutMillis);
    }

    public static int socket(int family) {
        return BINDING.socket(family);
    }

    public static int bind(int fd, long address) {
        return BINDING.bind(fd, address);
    }

    public static int listen(int fd, int backlog) {
        return BINDING.listen(fd, backlog);
    }

    public static int accept(int listenFd, long addressOut) {
        return BINDING.accept(listenFd, addressOut);
    }

    public static int acceptBatch(int listenFd, long fdsOut, int max) {
        return BINDING.acceptBatch(listenFd, fdsOut, max);
    }

    public static int connect(int fd, long address) {
        return BINDING.connect(fd, address);
    }

    public static int unixSocket() {
        return BINDING.unixSocket();
    }

    public static int unixBind(int fd, long path, int len) {
        return BINDING.unixBind(fd, path, len);
    }

    public static int unixConnect(int fd, long path, int len) {
        return BINDING.unixConnect(fd, path, len);
    }

    public static int unixLocalPath(int fd, long pathOut) {
        return BINDING.unixLocalPath(fd, pathOut);
    }

    public static int unixPeerPath(int fd, long pathOut) {
        return BINDING.unixPeerPath(fd, pathOut);
    }

    public static int read(int fd, long buf, int len) {
        return BINDING.read(fd, buf, len);
    }

    public static int write(int fd, long buf, int len) {
        return BINDING.write(fd, buf, len);
    }

    public static int writev(int fd, long iov, int count) {
        return BINDING.writev(fd, iov, count);
    }

    public static int shutdown(int fd, int how) {
        return BINDING.shutdown(fd, how);
    }

    public static int close(int fd) {
        return BINDING.close(fd);
    }

    public static int openFile(long path) {
        return BINDING.openFile(path);
    }

    public static long fileSize(int fd) {
        return BINDING.fileSize(fd);
    }

    public static int pread(int fd, long buf, int len, long offset) {
        return BINDING.pread(fd, buf, len, offset);
    }

    public static long sendfile(int outFd, int inFd, long offset, long count) {
        return BINDING.sendfile(outFd, inFd, offset, count);
    }

    public static int eventfd() {
        return BINDING.eventfd();
    }

    public static long eventfdRead(int fd) {
        return BINDING.eventfdRead(fd);
    }

    public static int eventfdWrite(int fd, long value) {
        return BINDING.eventfdWrite(fd, value);
    }

    public static int getsockopt(int fd, int option) {
        return BINDING.getsockopt(fd, option);
    }

    public static int setsockopt(int fd, int option, int value) {
        return BINDING.setsockopt(fd, option, value);
    }

    public static int localAddress(int fd, long addressOut) {
        return BINDING.localAddress(fd, addressOut);
    }

    public static int peerAddress(int fd, long addressOut) {
        return BINDING.peerAddress(fd, addressOut);
    }

    public static String errnoName(int errnum) {
        return BINDING.errnoName(errnum);
    }

    public static String errnoText(int errnum) {
        return BINDING.errnoText(errnum);
    }
}
