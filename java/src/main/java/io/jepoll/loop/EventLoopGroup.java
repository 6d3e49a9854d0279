package io.jepoll.loop;

import io.jepoll.net.Connection;
import io.jepoll.net.Handler;
import io.jepoll.net.SocketOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/** N loops of one transport, each on its own thread; work is spread over them in turn. */
public final class EventLoopGroup {

    private final Transport transport;
    private final List<EventLoop> loops;
    private int next;

    private EventLoopGroup(Transport transport, List<EventLoop> loops) {
        this.transport = transport;
        this.loops = List.copyOf(loops);
    }

    /**
     * Starts {@code count} loops named {@code name-0}, {@code name-1}, ...
     *
     * @param transport the loops' transport
     * @param count how many loops, each a thread
     * @param config the loops' buffer sizes and limits
     * @param name the prefix of the loops' thread names
     * @return the started loops
     * @throws IllegalArgumentException when {@code count} is less than 1
     * @throws IllegalStateException when the transport cannot run here (the reason says why)
     * @throws UncheckedIOException when a loop's resources cannot be created
     */
    public static EventLoopGroup start(Transport transport, int count, LoopConfig config, String name) {
        if (count < 1) {
            throw new IllegalArgumentException("need at least one loop: " + count);
        }
        transport.requireAvailable();
        List<EventLoop> loops = new ArrayList<>(count);
        try {
            for (int i = 0; i < count; i++) {
                loops.add(create(transport, config, name + "-" + i));
            }
        } catch (IOException e) {
            releaseUnstarted(loops, e);
            throw new UncheckedIOException("could not start " + transport + " loops: " + e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            releaseUnstarted(loops, e);
            throw e;
        }
        loops.forEach(EventLoop::start);
        return new EventLoopGroup(transport, loops);
    }

    /** Their threads never ran, so nothing else would close what they hold. */
    private static void releaseUnstarted(List<EventLoop> loops, Throwable cause) {
        for (EventLoop loop : loops) {
            try {
                loop.releaseUnstarted();
            } catch (RuntimeException | Error suppressed) {
                cause.addSuppressed(suppressed);
            }
        }
    }

    private static EventLoop create(Transport transport, LoopConfig config, String name) throws IOException {
        return switch (transport) {
            case EPOLL_ET -> new EpollLoop(name, true, config);
            case EPOLL_LT -> new EpollLoop(name, false, config);
            case NIO -> new SelectorLoop(name, config);
            case BLOCKING -> new BlockingLoop(name, config);
        };
    }

    /** {@return the loops' transport} */
    public Transport transport() {
        return transport;
    }

    /** {@return the loops, in the order of their names} */
    public List<EventLoop> loops() {
        return loops;
    }

    /** {@return the next loop in turn; thread-safe enough for spreading work (a race only skews the turn)} */
    public EventLoop next() {
        int i = next;
        next = (i + 1) % loops.size();
        return loops.get(i);
    }

    /**
     * Listens on {@code address} in every loop, each with a listening socket of its own; the
     * kernel spreads new connections over them (SO_REUSEPORT hashes each connection to one).
     * The first socket binds without SO_REUSEPORT, so the bind fails with EADDRINUSE when
     * anything else holds the port, another jepoll server included; once bound, it turns
     * SO_REUSEPORT on, and the other loops' sockets bind beside it. With
     * {@link SocketOptions#reusePort()} the first socket asks for SO_REUSEPORT before its bind
     * instead, so that it can share the port with other processes that ask for it too.
     *
     * <p>A server of several loops is open to a process of the same user that binds the port
     * with SO_REUSEPORT from the start (the kernel cannot tell it from the server's own loops);
     * one that binds without it, as every jepoll server does by default, is refused.
     *
     * <p>When it fails, loops that were already listening go on doing so: shut the group down.
     *
     * @param address the address to bind (port 0: the kernel picks one)
     * @param options the listening sockets' options and those of the connections they accept
     * @param handlers makes one handler per accepted connection
     * @return the bound address (with the kernel's port when {@code address} asked for 0)
     * @throws IOException when the address cannot be bound ({@link java.net.BindException} when it
     *     is taken, with the address in the message)
     */
    public InetSocketAddress listen(InetSocketAddress address, SocketOptions options,
            Supplier<? extends Handler> handlers) throws IOException {
        InetSocketAddress bound = await(loops.get(0).listen(address, options, handlers, loops.size() > 1));
        SocketOptions beside = options.toBuilder().reusePort(true).build();
        for (EventLoop loop : loops.subList(1, loops.size())) {
            await(loop.listen(bound, beside, handlers, false));
        }
        return bound;
    }

    /**
     * Listens on a Unix domain socket file: one listening socket, on the first loop, which
     * hands each connection it accepts to the loops in turn (SO_REUSEPORT does not apply to
     * Unix sockets, and one socket shared by every loop's poller spreads connections badly:
     * see the README's design decisions). Before binding, a file at the path is looked at: a
     * socket that refuses connections is a stale one from a server that died, and is removed;
     * a socket a server accepts on, and anything that is not a socket, are left alone and the
     * bind fails. The loop that listens removes the file when it closes the listener.
     *
     * <p>With {@code permissions}, nobody else can connect until the file has them: the
     * socket is bound in a new directory beside the path that only this user can enter, given
     * its permissions, then linked under its path. The kernel keeps that first name as the
     * socket's own (what other processes' getpeername reports); jepoll's connections report
     * {@code address}.
     *
     * @param address the socket file's path (at most 107 bytes)
     * @param permissions the socket file's permissions, or null to leave them to the umask
     * @param options the connections' socket options (TCP's do not apply) and the backlog
     * @param handlers makes one handler per accepted connection
     * @return {@code address}
     * @throws java.net.BindException when something is at the path that is not a stale socket,
     *     or the bind fails, with the path in the message
     * @throws IllegalArgumentException when the path is too long for a socket address
     */
    public UnixDomainSocketAddress listen(UnixDomainSocketAddress address, Set<PosixFilePermission> permissions,
            SocketOptions options, Supplier<? extends Handler> handlers) throws IOException {
        UnixSocketFile file = new UnixSocketFile(address, permissions);
        await(loops.get(0).listen(file, options, handlers, loops.size() > 1 ? this::next : () -> loops.get(0)));
        return address;
    }

    private static <T> T await(CompletableFuture<T> bound) throws IOException {
        try {
            return bound.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw e;
        }
    }

    /**
     * Opens an outbound connection on the next loop; see {@link EventLoop#connect}.
     *
     * @param address where to connect: an {@link InetSocketAddress} or a {@link UnixDomainSocketAddress}
     * @param options the connection's socket options
     * @param handler serves the connection once it is open
     * @return completes with the open connection, or with why it could not be made
     */
    public CompletableFuture<Connection> connect(SocketAddress address, SocketOptions options, Handler handler) {
        return next().connect(address, options, handler);
    }

    /**
     * Stops accepting on every loop; see {@link EventLoop#stopAccepting}.
     *
     * @return completes once every loop's listeners are closed
     */
    public CompletableFuture<Void> stopAccepting() {
        return CompletableFuture.allOf(loops.stream().map(EventLoop::stopAccepting).toArray(CompletableFuture[]::new));
    }

    /** {@return the loops' counters summed} */
    public LoopStats stats() {
        LoopStats sum = LoopStats.ZERO;
        for (EventLoop loop : loops) {
            sum = sum.plus(loop.stats());
        }
        return sum;
    }

    /**
     * Shuts every loop down gracefully; see {@link EventLoop#shutdown}.
     *
     * @param grace how long connections may take to flush and close before they are aborted
     */
    public void shutdown(Duration grace) {
        loops.forEach(loop -> loop.shutdown(grace));
    }

    /**
     * {@link #shutdown} and then waits for the loops to end: at most {@code grace} and 5 s
     * more, for the last closes and the loops' own clean-up.
     *
     * @param grace how long connections may take to flush and close before they are aborted
     * @return whether every loop ended
     * @throws InterruptedException when the waiting thread is interrupted
     */
    public boolean shutdownAndWait(Duration grace) throws InterruptedException {
        shutdown(grace);
        return awaitTermination(grace.plusSeconds(5));
    }

    /**
     * Waits until every loop has terminated, or the timeout passes.
     *
     * @param timeout how long to wait at most, for all of them together
     * @return whether every loop terminated
     * @throws InterruptedException when the waiting thread is interrupted
     */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (EventLoop loop : loops) {
            if (!loop.awaitTermination(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
                return false;
            }
        }
        return true;
    }
}
