package io.jepoll.shim;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.nio.file.Path;

/**
 * The FFM binding (JDK 22+): {@code java.lang.foreign} downcalls to the same library, which the
 * JIT inlines down to the call itself, without JNI's wrapper. Chosen with {@code -Djepoll.binding=ffm}.
 *
 * <p>The header's {@code int64_t} addresses are passed as {@code JAVA_LONG}: it is their C type, so
 * the raw addresses the loops hold need no {@link MemorySegment} per call. Calls that never block
 * (non-blocking sockets, eventfd, {@code epoll_wait} with a zero timeout) are
 * {@link Linker.Option#critical critical}: no thread-state change around them. A lingering close, file
 * reads and waits with a timeout are not, so that the JVM can reach a safepoint meanwhile.
 */
final class FfmBinding implements NativeBinding {

    /** The library file {@link Handles} links against; set by {@link #load} before their first use. */
    private static Path library;

    private FfmBinding() {
    }

    /**
     * Links every function of {@code library}; throws {@link IllegalCallerException} when the JVM
     * denies this module native access, or a {@link LinkageError} when a function is missing.
     */
    static synchronized NativeBinding load(Path file) {
        library = file;
        try {
            MethodHandles.lookup().ensureInitialized(Handles.class);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        } catch (ExceptionInInitializerError e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
        return new FfmBinding();
    }

    @Override
    public String name() {
        return "ffm";
    }

    @Override
    public int abiVersion() {
        try {
            return (int) Handles.ABI_VERSION.invokeExact();
        } catch (Throwable e) {
            throw unexpected(e);
        }
    }

    @Override
    public int epollCreate() {
        try {
            return (int) Handles.EPOLL_CREATE.invokeExact();
        } catch (Throwable e) {
            throw unexpected(e);
        }
    }

    @Override
    public int epollCtl(int epfd, int op, int fd, int events, int tag) {
        try {
            return (int) Handles.EPOLL_CTL.invokeExact(epfd, op, fd, events, tag);
        } catch (Throwable e) {
            throw unexpected(e);
        }
    }

    @Override
    public int epollWait(int epfd, long eventsOut, int maxEvents, int timeoutMillis) {
        try {
            return timeoutMillis == 0
                    ? (int) Handles.EPOLL_WAIT_NOW.invokeExact(epfd, eventsOut, maxEvents, timeoutMillis)
                    : (int) Handles.EPOLL_WAIT.invokeExact(epfd, eventsOut, maxEvents, timeoutMillis);
        } catch (Throwable e) {
            throw unexpected(e);
        }
    }

    @Override
    public int socket(int family) {
        try {
            return (int) Handles.SOCKET.invokeExact(family);
        } catch (Throwable e) {
            throw unexpected(e);
        }
    }

    @Override
    public int bind(int fd, long address) {
        try {
            return (int) Handles.BIND.invokeExact(fd, address);
        } catch (Throwable e) {
            throw unexpected(e);
        }
    }

    @Override
    public int listen(int fd, int backlog) {
        try {
            return (int) Handles.LISTEN.invokeExact(fd, backlog);
        } catch (Throwable e) {
            throw unexpected(e);
        }
    }

    @Override
    public int accept(int listenFd, long addressOut) {
        try {
            return (int) Handles.ACCEPT.invokeExact(listenFd, addressOut);
        } catch (Throwable e) {
            throw unexpected(e);
        }
    }

    @Override
    public int acceptBatch(int listenFd, long fdsOut, int max) {
        try {
            return (int) Handles.ACCEPT_BATCH.invokeExact(listenFd, fdsOut, max);
        } catch (Throwable e) {
            throw unexpected(e);
        }
    }

    @Override
    public int connect(int fd, long address) {
        try {
            return (int) Handles.CONNECT.invokeExact(fd, address);
        } catch (Throwable e) {
            throw unexpected(e);
        }
    }

    @Override
    public int unixSocket() {
        try {
            return (int) Handles.UNIX_SOCKET.invokeExact();
        } catch (Throwable e) {
            throw unexpected(e);
        }
    }

    @Override
    public int unixBind(int fd, long path, int len) {
        try {
            return (int) Handles.UNIX_BIND.invokeExact(fd, path, len);
        } catch (Throwable e) {
            throw unexpected(e);
        }
    }

    @Override
    public int unixConnect(int fd, long path, int len) {
        try {
            return (int) Handles.UNIX_CONNECT.invokeExact(fd, path, len);
        } catch (Throwable e) {
            throw unexpected(e);
        }
    }

    @Override
    public int unixLocalPath(int fd, long pathOut) {
        try {
            return (int) Handles.UNIX_LOCAL_PATH.invokeExact(fd, pathOut);
        } catch (Throwable e) {
            throw unexpected(e);
        }
    }

    @Override
    public int unixPeerPath(int fd, long pathOut) {
        try {
            return (int) Handles.UNIX_PEER_PATH.invokeExact(fd, pathOut);
        } catch (Throwable e) {
            throw unexpected(e);
        }
    }

    @Override
    public int read(int fd, long buf, int len) {
        try {
            return (int) Handles.READ.invokeExact(fd, buf, len);
        } catch (Throwable e) {
            throw unexpected(e);
        }
    }

    @Override
    public int write(int fd, long buf, int len) {
        try {
            return (int) Handles.WRITE.invokeExact(fd, buf, len);
        } catch (Throwable e) {
            throw unexpected(e);
        }
    }

    @Override
    public int writev(int fd, long iov, int count) {
        try {
            return (int) Handles.WRITEV.invokeExact(fd, iov, count);
        } catch (Throwable e) {
            throw unexpected(e);
        }
    }

    @Override
    public int shutdown(int fd, int how) {
        try {
            return (int) Handles.SHUTDOWN.invokeExact(fd, how);
        } catch (Throwable e) {
            throw unexpected(e);
        }
    }

    @Override
    public int close(int fd) {
        try {
            return (int) Handles.CLOSE.invokeExact(fd);
        } catch (Throwable e) {
            throw unexpected(e);
        }
    }

    @Override
    public int openFile(long path) {
        try {
            return (int) Handles.OPEN_FILE.invokeExact(path);
        } catch (Throwable e) {
            throw unexpected(e);
        }
    }

    @Override
    public long fileSize(int fd) {
        try {
            return (long) Handles.FILE_SIZE.invokeExact(fd);
        } catch (Throwable e) {
            throw unexpected(e);
        }
    }

    @Override
    public int pread(int fd, long buf, int len, long offset) {
        try {
            return (int) Handles.PREAD.invokeExact(fd, buf, len, offset);
        } catch (Throwable e) {
            throw unexpected(e);
        }
    }

    @Override
    public long sendfile(int outFd, int inFd, long offset, long count) {
        try {
            return (long) Handles.SENDFILE.invokeExact(outFd, inFd, offset, count);
        } catch (Throwable e) {
            throw unexpected(e);
        }
    }

    @Override
    public int eventfd() {
        try {
            return (int) Handles.EVENTFD.invokeExact();
        } catch (Throwable e) {
            throw unexpected(e);
        }
    }

    @Override
    public long eventfdRead(int fd) {
        try {
            return (long) Handles.EVENTFD_READ.invokeExact(fd);
        } catch (Throwable e) {
            throw unexpected(e);
        }
    }

    @Override
    public int eventfdWrite(int fd, long value) {
        try {
            return (int) Handles.EVENTFD_WRITE.invokeExact(fd, value);
        } catch (Throwable e) {
            throw unexpected(e);
        }
    }

    @Override
    public int getsockopt(int fd, int option) {
        try {
            return (int) Handles.GETSOCKOPT.invokeExact(fd, option);
        } catch (Throwable e) {
            throw unexpected(e);
        }
    }

    @Override
    public int setsockopt(int fd, int option, int value) {
        try {
            return (int) Handles.SETSOCKOPT.invokeExact(fd, option, value);
        } catch (Throwable e) {
            throw unexpected(e);
        }
    }

    @Override
    public int localAddress(int fd, long addressOut) {
        try {
            return (int) Handles.LOCAL_ADDRESS.invokeExact(fd, addressOut);
        } catch (Throwable e) {
            throw unexpected(e);
        }
    }

    @Override
    public int peerAddress(int fd, long addressOut) {
        try {
            return (int) Handles.PEER_ADDRESS.invokeExact(fd, addressOut);
        } catch (Throwable e) {
            throw unexpected(e);
        }
    }

    @Override
    public String errnoName(int errnum) {
        try {
            return text((MemorySegment) Handles.ERRNO_NAME.invokeExact(errnum));
        } catch (Throwable e) {
            throw unexpected(e);
        }
    }

    @Override
    public String errnoText(int errnum) {
        try {
            return text((MemorySegment) Handles.ERRNO_TEXT.invokeExact(errnum));
        } catch (Throwable e) {
            throw unexpected(e);
        }
    }

    private static String text(MemorySegment string) {
        return string.equals(MemorySegment.NULL) ? null : string.reinterpret(Long.MAX_VALUE).getString(0);
    }

    /** A downcall throws only what the JVM itself throws (out of memory, a stack overflow). */
    private static RuntimeException unexpected(Throwable e) {
        if (e instanceof Error error) {
            throw error;
        }
        return e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
    }

    /** The downcall handles, in static finals so that the JIT treats them as constants and inlines them. */
    private static final class Handles {

        private static final Linker LINKER = Linker.nativeLinker();
        private static final Linker.Option CRITICAL = Linker.Option.critical(false);
        private static final SymbolLookup LIBRARY = SymbolLookup.libraryLookup(library, Arena.global());

        // The result's layout first, then the arguments'.
        static final MethodHandle ABI_VERSION = nonBlocking("jepoll_abi_version", JAVA_INT);
        static final MethodHandle EPOLL_CREATE = nonBlocking("jepoll_epoll_create", JAVA_INT);
        static final MethodHandle EPOLL_CTL = nonBlocking("jepoll_epoll_ctl",
                JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT);
        static final MethodHandle EPOLL_WAIT = mayBlock("jepoll_epoll_wait",
                JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT);
        static final MethodHandle EPOLL_WAIT_NOW = nonBlocking("jepoll_epoll_wait",
                JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT);
        static final MethodHandle SOCKET = nonBlocking("jepoll_socket", JAVA_INT, JAVA_INT);
        static final MethodHandle BIND = nonBlocking("jepoll_bind", JAVA_INT, JAVA_INT, JAVA_LONG);
        static final MethodHandle LISTEN = nonBlocking("jepoll_listen", JAVA_INT, JAVA_INT, JAVA_INT);
        static final MethodHandle ACCEPT = nonBlocking("jepoll_accept", JAVA_INT, JAVA_INT, JAVA_LONG);
        static final MethodHandle ACCEPT_BATCH = nonBlocking("jepoll_accept_batch",
                JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT);
        static final MethodHandle CONNECT = nonBlocking("jepoll_connect", JAVA_INT, JAVA_INT, JAVA_LONG);
        static final MethodHandle UNIX_SOCKET = nonBlocking("jepoll_unix_socket", JAVA_INT);
        // A Unix bind or connect looks its path up in the file system, which may be slow (NFS).
        static final MethodHandle UNIX_BIND = mayBlock("jepoll_unix_bind", JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT);
        static final MethodHandle UNIX_CONNECT = mayBlock("jepoll_unix_connect", JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT);
        static final MethodHandle UNIX_LOCAL_PATH = nonBlocking("jepoll_unix_local_path", JAVA_INT, JAVA_INT, JAVA_LONG);
        static final MethodHandle UNIX_PEER_PATH = nonBlocking("jepoll_unix_peer_path", JAVA_INT, JAVA_INT, JAVA_LONG);
        static final MethodHandle READ = nonBlocking("jepoll_read", JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT);
        static final MethodHandle WRITE = nonBlocking("jepoll_write", JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT);
        static final MethodHandle WRITEV = nonBlocking("jepoll_writev", JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT);
        static final MethodHandle SHUTDOWN = nonBlocking("jepoll_shutdown", JAVA_INT, JAVA_INT, JAVA_INT);
        static final MethodHandle CLOSE = mayBlock("jepoll_close", JAVA_INT, JAVA_INT);
        static final MethodHandle OPEN_FILE = mayBlock("jepoll_open_file", JAVA_INT, JAVA_LONG);
        static final MethodHandle FILE_SIZE = mayBlock("jepoll_file_size", JAVA_LONG, JAVA_INT);
        static final MethodHandle PREAD = mayBlock("jepoll_pread", JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_LONG);
        static final MethodHandle SENDFILE = mayBlock("jepoll_sendfile",
                JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG);
        static final MethodHandle EVENTFD = nonBlocking("jepoll_eventfd", JAVA_INT);
        static final MethodHandle EVENTFD_READ = nonBlocking("jepoll_eventfd_read", JAVA_LONG, JAVA_INT);
        static final MethodHandle EVENTFD_WRITE = nonBlocking("jepoll_eventfd_write", JAVA_INT, JAVA_INT, JAVA_LONG);
        static final MethodHandle GETSOCKOPT = nonBlocking("jepoll_getsockopt", JAVA_INT, JAVA_INT, JAVA_INT);
        static final MethodHandle SETSOCKOPT = nonBlocking("jepoll_setsockopt", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT);
        static final MethodHandle LOCAL_ADDRESS = nonBlocking("jepoll_local_address", JAVA_INT, JAVA_INT, JAVA_LONG);
        static final MethodHandle PEER_ADDRESS = nonBlocking("jepoll_peer_address", JAVA_INT, JAVA_INT, JAVA_LONG);
        static final MethodHandle ERRNO_NAME = nonBlocking("jepoll_errno_name", ADDRESS, JAVA_INT);
        static final MethodHandle ERRNO_TEXT = nonBlocking("jepoll_errno_text", ADDRESS, JAVA_INT);

        private Handles() {
        }

        /** A function that returns without waiting: linked critical. */
        private static MethodHandle nonBlocking(String function, MemoryLayout result, MemoryLayout... arguments) {
            return downcall(function, FunctionDescriptor.of(result, arguments), CRITICAL);
        }

        /** A function that may wait in the kernel, during which the JVM must be able to reach a safepoint. */
        private static MethodHandle mayBlock(String function, MemoryLayout result, MemoryLayout... arguments) {
            return downcall(function, FunctionDescriptor.of(result, arguments));
        }

        private static MethodHandle downcall(String function, FunctionDescriptor descriptor, Linker.Option... options) {
            MemorySegment address = LIBRARY.find(function)
                    .orElseThrow(() -> new UnsatisfiedLinkError(library + " has no function " + function));
            return LINKER.downcallHandle(address, descriptor, options);
        }
    }
}
