package io.jepoll.loop;

import io.jepoll.net.Connection;
import io.jepoll.net.Handler;
import io.jepoll.net.SocketOptions;
import io.jepoll.shim.NativeIoException;
import io.jepoll.shim.Shim;
import io.jepoll.shim.Sockets;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * A loop on one epoll fd, edge- or level-triggered: its sockets are fds called through the
 * shim ({@link NativeSocket}), watched by an {@link EpollPoller}.
 */
final class EpollLoop extends ReadinessLoop {

    /** The address of a client's Unix socket, which never binds one of its own. */
    private static final UnixDomainSocketAddress UNNAMED = UnixDomainSocketAddress.of("");

    private final EpollPoller poller;
    private final NativeIo io;

    EpollLoop(String name, boolean edgeTriggered, LoopConfig config) throws IOException {
        super(name, Shim.binding(), config, edgeTriggered, true);
        this.io = new NativeIo(Shim.IOV_MAX, pool.take(), readChunk, scratchChunk);
        try {
            this.poller = new EpollPoller(counters);
        } catch (NativeIoException | RuntimeException | Error e) {
            io.close();
            throw e;
        }
    }

    @Override
    EpollPoller poller() {
        return poller;
    }

    @Override
    public Transport transport() {
        return edgeTriggered ? Transport.EPOLL_ET : Transport.EPOLL_LT;
    }

    @Override
    CompletableFuture<InetSocketAddress> listen(InetSocketAddress address, SocketOptions options,
            Supplier<? extends Handler> handlers, boolean openToSiblings) {
        CompletableFuture<InetSocketAddress> bound = new CompletableFuture<>();
        execute(() -> {
            int fd = -1;
            try {
                counters.countNative(Call.OTHER);
                fd = Sockets.listen(address, options.backlog(), options.reuseAddress(), options.reusePort());
                if (openToSiblings && !options.reusePort()) {
                    Sockets.setOption(fd, Shim.SO_REUSEPORT, 1);
                }
                InetSocketAddress local = Sockets.localAddress(fd);
                poller.register(fd, Readiness.READABLE, false,
                        new EpollListener(this, poller, fd, options, handlers, null, () -> this));
                bound.complete(local);
            } catch (IOException | RuntimeException e) {
                if (fd >= 0) {
                    Shim.close(fd);
                }
                bound.completeExceptionally(e);
            }
        });
        return bound;
    }

    @Override
    CompletableFuture<Void> listen(UnixSocketFile file, SocketOptions options, Supplier<? extends Handler> handlers,
            Supplier<? extends EventLoop> placement) {
        CompletableFuture<Void> bound = new CompletableFuture<>();
        execute(() -> {
            int fd = -1;
            try {
                counters.countNative(Call.OTHER);
                fd = Sockets.unixSocket();
                int socket = fd;
                file.bind(path -> Sockets.bindUnix(socket, path));
                Sockets.listen(fd, options.backlog());
                poller.register(fd, Readiness.READABLE, false,
                        new EpollListener(this, poller, fd, options, handlers, file, placement));
                bound.complete(null);
            } catch (IOException | RuntimeException e) {
                if (fd >= 0) {
                    Shim.close(fd);
                }
                file.release();
                bound.completeExceptionally(e);
            }
        });
        return bound;
    }

    @Override
    public CompletableFuture<Connection> connect(SocketAddress address, SocketOptions options, Handler handler) {
        CompletableFuture<Connection> connected = new CompletableFuture<>();
        execute(() -> {
            int fd = -1;
            try {
                counters.countNative(Call.CONNECT);
                if (address instanceof UnixDomainSocketAddress unix) {
                    fd = Sockets.connectUnix(unix.getPath());
                    connection(fd, options, handler, connected, address, UNNAMED);
                } else {
                    fd = Sockets.connect(inet(address));
                    connection(fd, options, handler, connected, address, null);
                }
            } catch (IOException | RuntimeException e) {
                if (fd >= 0) {
                    Shim.close(fd);
                }
                connected.completeExceptionally(e);
            }
        });
        return connected;
    }

    /**
     * Sets up {@code fd}, accepted by a listener on another loop, as a connection here, or
     * closes it when this loop is going.
     */
    void adopt(int fd, SocketOptions options, Supplier<? extends Handler> handlers, SocketAddress local) {
        try {
            execute(() -> {
                if (isShuttingDown()) {
                    counters.countNative(Call.CLOSE);
                    Shim.close(fd);
                } else {
                    open(fd, options, handlers, local);
                }
            });
        } catch (RejectedExecutionException terminated) {
            Shim.close(fd);
        }
    }

    /**
     * Sets up an accepted fd as a connection and opens it; one that cannot be set up is logged
     * and closed. {@code unixLocal} is a Unix socket listener's address, else null.
     */
    void open(int fd, SocketOptions options, Supplier<? extends Handler> handlers, SocketAddress unixLocal) {
        SocketConnection connection;
        try {
            connection = connection(fd, options, handlers.get(), null, null, unixLocal);
        } catch (NativeIoException | RuntimeException | Error e) {
            log(System.Logger.Level.WARNING, "could not set up an accepted connection on " + this, e);
            counters.countNative(Call.CLOSE);
            Shim.close(fd);
            return;
        }
        connection.opened(null);
    }

    /**
     * A registered connection on {@code fd}, accepted or (with {@code connecting}) being connected;
     * {@code unixLocal} is a Unix socket's own address (null for TCP): its listener's path, or unnamed.
     */
    private SocketConnection connection(int fd, SocketOptions options, Handler handler,
            CompletableFuture<Connection> connecting, SocketAddress connectingTo, SocketAddress unixLocal)
            throws NativeIoException {
        NativeSocket.applyOptions(fd, options, counters, unixLocal != null);
        NativeSocket socket = new NativeSocket(fd, poller, io, counters, unixLocal);
        SocketConnection connection = new SocketConnection(this, socket, handler, connecting, connectingTo);
        socket.register(connection.initialInterest(), edgeTriggered, connection);
        return connection;
    }

    @Override
    protected void closeAll() {
        super.closeAll();
        io.close();
    }
}
