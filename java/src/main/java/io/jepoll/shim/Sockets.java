package io.jepoll.shim;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * Checked socket set-up through the shim: each method throws a {@link NativeIoException}
 * naming the failed call instead of returning {@code -errno}. For set-up paths; the loops'
 * per-event calls (accept, read, write) go to {@link Shim} directly.
 */
public final class Sockets {

    private Sockets() {
    }

    /**
     * A non-blocking listening TCP socket bound to {@code address} (port 0: the kernel picks).
     *
     * @return its fd; on failure nothing stays open
     * @throws BindException when the bind fails (the port is taken, the address is not local),
     *     as java.nio reports it, with the call and errno in the message
     */
    public static int listen(InetSocketAddress address, int backlog, boolean reuseAddress, boolean reusePort)
            throws IOException {
        try (Memory scratch = new Memory(Shim.ADDRESS_SIZE)) {
            int family = NativeAddress.encode(address, view(scratch));
            int fd = check(Shim.socket(family), "socket(IPv" + family + ")");
            try {
                if (reuseAddress) {
                    setOption(fd, Shim.SO_REUSEADDR, 1);
                }
                if (reusePort) {
                    setOption(fd, Shim.SO_REUSEPORT, 1);
                }
                int bound = Shim.bind(fd, Pointer.nativeValue(scratch));
                if (bound < 0) {
                    Shim.close(fd);
                    throw bindFailed(new NativeIoException("bind(fd=" + fd + ", " + address + ")", bound));
                }
                check(Shim.listen(fd, backlog), "listen(fd=" + fd + ", backlog=" + backlog + ")");
                return fd;
            } catch (NativeIoException e) {
                Shim.close(fd);
                throw e;
            }
        }
    }

    private static BindException bindFailed(NativeIoException cause) {
        BindException e = new BindException(cause.getMessage());
        e.initCause(cause);
        return e;
    }

    /**
     * Starts a non-blocking connect to {@code address}. The connection is complete when the fd
     * reports EPOLLOUT; {@link Shim#SO_ERROR} then tells whether it succeeded.
     *
     * @return the new socket's fd
     */
    public static int connect(InetSocketAddress address) throws NativeIoException, UnknownHostException {
        try (Memory scratch = new Memory(Shim.ADDRESS_SIZE)) {
            int family = NativeAddress.encode(address, view(scratch));
            int fd = check(Shim.socket(family), "socket(IPv" + family + ")");
            int rc = Shim.connect(fd, Pointer.nativeValue(scratch));
            if (rc < 0 && rc != -Errno.EINPROGRESS) {
                Shim.close(fd);
                throw new NativeIoException("connect(fd=" + fd + ", " + address + ")", rc);
            }
            return fd;
        }
    }

    /** {@return a new non-blocking Unix domain stream socket's fd} */
    public static int unixSocket() throws NativeIoException {
        return check(Shim.unixSocket(), "socket(AF_UNIX)");
    }

    /**
     * Binds the Unix socket {@code fd} to {@code path}, which creates the socket file.
     *
     * @throws BindException when the bind fails (the file exists, the directory is not
     *     writable), as java.nio reports it, with the call and errno in the message
     * @throws IllegalArgumentException when the path is too long for a socket address
     */
    public static void bindUnix(int fd, Path path) throws BindException {
        byte[] bytes = NativeAddress.unixPath(path);
        try (Memory scratch = new Memory(bytes.length)) {
            scratch.write(0, bytes, 0, bytes.length);
            int bound = Shim.unixBind(fd, Pointer.nativeValue(scratch), bytes.length);
            if (bound < 0) {
                throw bindFailed(new NativeIoException("bind(fd=" + fd + ", " + path + ")", bound));
            }
        }
    }

    /** Makes the bound socket {@code fd} listen. */
    public static void listen(int fd, int backlog) throws NativeIoException {
        check(Shim.listen(fd, backlog), "listen(fd=" + fd + ", backlog=" + backlog + ")");
    }

    /**
     * Connects a new non-blocking Unix socket to {@code path}. Unlike TCP it is connected when
     * this returns: a listener whose backlog is full fails it with EAGAIN at once.
     *
     * @return the connected socket's fd; on failure nothing stays open
     * @throws IllegalArgumentException when the path is too long for a socket address
     */
    public static int connectUnix(Path path) throws NativeIoException {
        byte[] bytes = NativeAddress.unixPath(path);
        try (Memory scratch = new Memory(bytes.length)) {
            scratch.write(0, bytes, 0, bytes.length);
            int fd = unixSocket();
            int rc = Shim.unixConnect(fd, Pointer.nativeValue(scratch), bytes.length);
            if (rc < 0) {
                Shim.close(fd);
                throw new NativeIoException("connect(fd=" + fd + ", " + path
                        + (rc == -Errno.EAGAIN ? ", its listener's backlog is full" : "") + ")", rc);
            }
            return fd;
        }
    }

    /** {@return the name the Unix socket {@code fd} is bound to; an empty path when unnamed} */
    public static UnixDomainSocketAddress unixLocalAddress(int fd) throws NativeIoException {
        try (Memory scratch = new Memory(Shim.UNIX_PATH_SIZE)) {
            int length = check(Shim.unixLocalPath(fd, Pointer.nativeValue(scratch)), "getsockname(fd=" + fd + ")");
            return NativeAddress.unixAddress(view(scratch), length);
        }
    }

    /** {@return the name of the Unix socket {@code fd}'s peer; an empty path when unnamed, as most clients are} */
    public static UnixDomainSocketAddress unixPeerAddress(int fd) throws NativeIoException {
        try (Memory scratch = new Memory(Shim.UNIX_PATH_SIZE)) {
            int length = check(Shim.unixPeerPath(fd, Pointer.nativeValue(scratch)), "getpeername(fd=" + fd + ")");
            return NativeAddress.unixAddress(view(scratch), length);
        }
    }

    public static InetSocketAddress localAddress(int fd) throws NativeIoException, UnknownHostException {
        try (Memory scratch = new Memory(Shim.ADDRESS_SIZE)) {
            check(Shim.localAddress(fd, Pointer.nativeValue(scratch)), "getsockname(fd=" + fd + ")");
            return NativeAddress.decode(view(scratch));
        }
    }

    public static InetSocketAddress peerAddress(int fd) throws NativeIoException, UnknownHostException {
        try (Memory scratch = new Memory(Shim.ADDRESS_SIZE)) {
            check(Shim.peerAddress(fd, Pointer.nativeValue(scratch)), "getpeername(fd=" + fd + ")");
            return NativeAddress.decode(view(scratch));
        }
    }

    /** Sets an int option ({@link Shim#TCP_NODELAY}, {@link Shim#SO_RCVBUF}, ...). */
    public static void setOption(int fd, int option, int value) throws NativeIoException {
        check(Shim.setsockopt(fd, option, value), "setsockopt(fd=" + fd + ", " + optionName(option) + "=" + value + ")");
    }

    /** Reads an int option; {@link Shim#SO_LINGER} reads -1 when off. */
    public static int getOption(int fd, int option) throws NativeIoException {
        int value = Shim.getsockopt(fd, option);
        if (value < 0 && !(option == Shim.SO_LINGER && value == -1)) {
            throw new NativeIoException("getsockopt(fd=" + fd + ", " + optionName(option) + ")", value);
        }
        return value;
    }

    public static void close(int fd) throws NativeIoException {
        check(Shim.close(fd), "close(fd=" + fd + ")");
    }

    private static int check(int result, String call) throws NativeIoException {
        if (result < 0) {
            throw new NativeIoException(call, result);
        }
        return result;
    }

    private static ByteBuffer view(Memory memory) {
        return memory.getByteBuffer(0, memory.size()).order(ByteOrder.nativeOrder());
    }

    private static String optionName(int option) {
        return switch (option) {
            case Shim.SO_REUSEADDR -> "SO_REUSEADDR";
            case Shim.SO_REUSEPORT -> "SO_REUSEPORT";
            case Shim.SO_KEEPALIVE -> "SO_KEEPALIVE";
            case Shim.SO_RCVBUF -> "SO_RCVBUF";
            case Shim.SO_SNDBUF -> "SO_SNDBUF";
            case Shim.SO_LINGER -> "SO_LINGER";
            case Shim.SO_ERROR -> "SO_ERROR";
            case Shim.TCP_NODELAY -> "TCP_NODELAY";
            case Shim.TCP_KEEPIDLE -> "TCP_KEEPIDLE";
            case Shim.TCP_KEEPINTVL -> "TCP_KEEPINTVL";
            case Shim.TCP_KEEPCNT -> "TCP_KEEPCNT";
            case Shim.IPV6_V6ONLY -> "IPV6_V6ONLY";
            default -> "option " + option;
        };
    }
}
