package io.jepoll.shim;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.nio.file.Path;

/**
 * The FFM binding (JDK 22+): {@code java.lang.foreign} downcalls to the same library, which the
 * JIT compiles to a direct call without JNI's stubs. Chosen with {@code -Djepoll.binding=ffm}.
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

        static final MethodHandle ABI_VERSION = downcall("jepoll_abi_version", FunctionDescriptor.of(JAVA_INT), CRITICAL);
        static final MethodHandle EPOLL_CREATE = downcall("jepoll_epoll_create", FunctionDescriptor.of(JAVA_INT), CRITICAL);
        static final MethodHandle EPOLL_CTL = downcall("jepoll_epoll_ctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), CRITICAL);
        static final MethodHandle EPOLL_WAIT = downcall("jepoll_epoll_wait", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT));
        static final MethodHandle EPOLL_WAIT_NOW = downcall("jepoll_epoll_wait", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT), CRITICAL);
        static final MethodHandle SOCKET = downcall("jepoll_socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT), CRITICAL);
        static final MethodHandle BIND = downcall("jepoll_bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG), CRITICAL);
        static final MethodHandle LISTEN = downcall("jepoll_listen", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), CRITICAL);
        static final MethodHandle ACCEPT = downcall("jepoll_accept", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG), CRITICAL);
        static final MethodHandle ACCEPT_BATCH = downcall("jepoll_accept_batch", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT), CRITICAL);
        static final MethodHandle CONNECT = downcall("jepoll_connect", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG), CRITICAL);
        static final MethodHandle READ = downcall("jepoll_read", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT), CRITICAL);
        static final MethodHandle WRITE = downcall("jepoll_write", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT), CRITICAL);
        static final MethodHandle WRITEV = downcall("jepoll_writev", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT), CRITICAL);
        static final MethodHandle SHUTDOWN = downcall("jepoll_shutdown", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), CRITICAL);
        static final MethodHandle CLOSE = downcall("jepoll_close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        static final MethodHandle OPEN_FILE = downcall("jepoll_open_file", FunctionDescriptor.of(JAVA_INT, JAVA_LONG));
        static final MethodHandle FILE_SIZE = downcall("jepoll_file_size", FunctionDescriptor.of(JAVA_LONG, JAVA_INT));
        static final MethodHandle PREAD = downcall("jepoll_pread", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_LONG));
        static final MethodHandle SENDFILE = downcall("jepoll_sendfile", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG));
        static final MethodHandle EVENTFD = downcall("jepoll_eventfd", FunctionDescriptor.of(JAVA_INT), CRITICAL);
        static final MethodHandle EVENTFD_READ = downcall("jepoll_eventfd_read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT), CRITICAL);
        static final MethodHandle EVENTFD_WRITE = downcall("jepoll_eventfd_write", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG), CRITICAL);
        static final MethodHandle GETSOCKOPT = downcall("jepoll_getsockopt", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), CRITICAL);
        static final MethodHandle SETSOCKOPT = downcall("jepoll_setsockopt", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), CRITICAL);
        static final MethodHandle LOCAL_ADDRESS = downcall("jepoll_local_address", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG), CRITICAL);
        static final MethodHandle PEER_ADDRESS = downcall("jepoll_peer_address", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG), CRITICAL);
        static final MethodHandle ERRNO_NAME = downcall("jepoll_errno_name", FunctionDescriptor.of(ADDRESS, JAVA_INT), CRITICAL);
        static final MethodHandle ERRNO_TEXT = downcall("jepoll_errno_text", FunctionDescriptor.of(ADDRESS, JAVA_INT), CRITICAL);

        private Handles() {
        }

        private static MethodHandle downcall(String function, FunctionDescriptor descriptor, Linker.Option... options) {
            MemorySegment address = LIBRARY.find(function)
                    .orElseThrow(() -> new UnsatisfiedLinkError(library + " has no function " + function));
            return LINKER.downcallHandle(address, descriptor, options);
        }
    }
}
