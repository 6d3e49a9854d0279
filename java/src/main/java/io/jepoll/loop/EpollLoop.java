package io.jepoll.loop;

import io.jepoll.net.Connection;
import io.jepoll.net.Handler;
import io.jepoll.net.SocketOptions;
import io.jepoll.shim.NativeIoException;
import io.jepoll.shim.Shim;
import io.jepoll.shim.Sockets;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A loop on one epoll fd, edge- or level-triggered: its sockets are fds called through the
 * shim ({@link NativeSocket}), watched by an {@link EpollPoller}.
 */
final class EpollLoop extends ReadinessLoop {

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
                poller.register(fd, Readiness.READABLE, false, new EpollListener(this, poller, fd, options, handlers));
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
    public CompletableFuture<Connection> connect(InetSocketAddress address, SocketOptions options, Handler handler) {
        CompletableFuture<Connection> connected = new CompletableFuture<>();
        execute(() -> {
            int fd = -1;
            try {
                counters.countNative(Call.CONNECT);
                fd = Sockets.connect(address);
                connection(fd, options, handler, connected, address);
            } catch (IOException | RuntimeException e) {
                if (fd >= 0) {
                    Shim.close(fd);
                }
                connected.completeExceptionally(e);
            }
        });
        return connected;
    }

    /** Sets up an accepted fd as a connection; on failure the caller closes the fd. */
    SocketConnection accepted(int fd, SocketOptions options, Handler handler) throws NativeIoException {
        return connection(fd, options, handler, null, null);
    }

    /** A registered connection on {@code fd}, accepted or (with {@code connecting}) being connected. */
    private SocketConnection connection(int fd, SocketOptions options, Handler handler,
            CompletableFuture<Connection> connecting, InetSocketAddress connectingTo) throws NativeIoException {
        NativeSocket.applyOptions(fd, options, counters);
        NativeSocket socket = new NativeSocket(fd, poller, io, counters);
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
