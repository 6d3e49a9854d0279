package io.jepoll.loop;

import io.jepoll.net.Connection;
import io.jepoll.net.Handler;
import io.jepoll.net.SocketOptions;
import io.jepoll.shim.NativeIoException;
import io.jepoll.shim.Shim;
import io.jepoll.shim.Sockets;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * A loop on one epoll fd, edge- or level-triggered: its sockets are fds called through the
 * shim ({@link NativeSocket}), watched by an {@link EpollPoller}.
 */
final class EpollLoop extends ReadinessLoop {

    private final EpollPoller poller;
    private final NativeIo io;

    EpollLoop(String name, boolean edgeTriggered, LoopConfig config) throws IOException {
        super(name, config, edgeTriggered, true);
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

    /**
     * Binds on this loop's thread, then gives every other loop a dup of the socket: each loop
     * owns and closes its own fd, and the socket closes with the last of them.
     */
    @Override
    CompletableFuture<InetSocketAddress> listen(InetSocketAddress address, SocketOptions options,
            Supplier<? extends Handler> handlers, List<? extends EventLoop> loops) {
        CompletableFuture<InetSocketAddress> bound = new CompletableFuture<>();
        execute(() -> {
            List<CompletableFuture<Void>> listening = new ArrayList<>(loops.size());
            try {
                counters.countNative(Call.OTHER);
                int fd = Sockets.listen(address, options.backlog(), options.reuseAddress(), options.reusePort());
                listening.add(acceptOn(fd, options, handlers));
                InetSocketAddress local = Sockets.localAddress(fd);
                for (EventLoop loop : loops) {
                    if (loop != this) {
                        counters.countNative(Call.OTHER);
                        listening.add(((EpollLoop) loop).acceptOn(Sockets.dup(fd), options, handlers));
                    }
                }
                CompletableFuture.allOf(listening.toArray(CompletableFuture[]::new))
                        .whenComplete((done, failure) -> {
                            if (failure == null) {
                                bound.complete(local);
                            } else {
                                bound.completeExceptionally(failure);
                            }
                        });
            } catch (IOException | RuntimeException e) {
                bound.completeExceptionally(e);
            }
        });
        return bound;
    }

    /**
     * Accepts on {@code fd}, which this loop then owns (and closes, if it cannot take it). The
     * registration is queued even on this loop's thread, so the caller may still read or dup
     * the fd until its task ends.
     */
    private CompletableFuture<Void> acceptOn(int fd, SocketOptions options, Supplier<? extends Handler> handlers) {
        CompletableFuture<Void> listening = new CompletableFuture<>();
        Runnable register = () -> {
            try {
                poller.registerListener(fd, new EpollListener(this, poller, fd, options, handlers));
                listening.complete(null);
            } catch (NativeIoException | RuntimeException e) {
                counters.countNative(Call.CLOSE);
                Shim.close(fd);
                listening.completeExceptionally(e);
            }
        };
        try {
            execute(register);
        } catch (RejectedExecutionException e) {
            Shim.close(fd);
            listening.completeExceptionally(e);
        }
        return listening;
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
