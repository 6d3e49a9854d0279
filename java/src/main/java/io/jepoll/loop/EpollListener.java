package io.jepoll.loop;

import io.jepoll.net.Handler;
import io.jepoll.net.SocketOptions;
import io.jepoll.shim.Errno;
import io.jepoll.shim.NativeIoException;
import io.jepoll.shim.Shim;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A listening socket on an {@link EpollLoop}: accepts in batches until the queue is empty.
 * When the process runs out of fds it stops listening for a moment instead of spinning on
 * a readable listener it cannot accept from.
 */
final class EpollListener implements EpollChannel {

    static final long PAUSE_WHEN_OUT_OF_FDS_MILLIS = 100;

    private final EpollLoop loop;
    private final int fd;
    private final int tag;
    private final SocketOptions options;
    private final Supplier<? extends Handler> handlers;
    private boolean open = true;
    private boolean warnedOutOfFds;

    EpollListener(EpollLoop loop, int fd, SocketOptions options, Supplier<? extends Handler> handlers) {
        this.loop = loop;
        this.fd = fd;
        this.tag = loop.newTag();
        this.options = options;
        this.handlers = handlers;
    }

    @Override
    public int fd() {
        return fd;
    }

    @Override
    public int tag() {
        return tag;
    }

    @Override
    public void handle(int events) {
        int max = loop.acceptBatchSize();
        while (open) {
            int n = Shim.acceptBatch(fd, loop.acceptedAddress(), max);
            loop.counters.calls[Call.ACCEPT.ordinal()] += n < 0 ? 1 : n < max ? n + 1 : n;
            loop.counters.crossings++;
            if (n < 0) {
                acceptFailed(n);
                return;
            }
            for (int i = 0; i < n; i++) {
                opened(loop.acceptedFd(i));
            }
            if (n < max) {
                return;
            }
        }
    }

    private void opened(int connectionFd) {
        EpollConnection connection;
        try {
            EpollConnection.applyOptions(loop, connectionFd, options);
            connection = new EpollConnection(loop, connectionFd, handlers.get(), null, null);
            loop.register(connectionFd, connection, connection.initialInterest(), connection.tag());
        } catch (NativeIoException | RuntimeException | Error e) {
            EventLoop.log(System.Logger.Level.WARNING, "could not set up an accepted connection on " + loop, e);
            loop.counters.countNative(Call.CLOSE);
            Shim.close(connectionFd);
            return;
        }
        connection.opened(null);
    }

    private void acceptFailed(int result) {
        int errno = -result;
        if (errno == Errno.EMFILE || errno == Errno.ENFILE || errno == Errno.ENOBUFS || errno == Errno.ENOMEM) {
            SpareFd.whileReleased(() -> {
                if (!warnedOutOfFds) {
                    warnedOutOfFds = true;
                    EventLoop.log(System.Logger.Level.WARNING, "{0}: accept failed ({1}); pausing accepts for"
                            + " {2} ms at a time until it succeeds again (logged once)", loop, Errno.describe(errno),
                            PAUSE_WHEN_OUT_OF_FDS_MILLIS);
                }
                pause();
            });
        } else if (errno != Errno.ECONNABORTED && errno != Errno.EINTR) {
            EventLoop.log(System.Logger.Level.WARNING, "{0}: accept(fd={1}) failed: {2}", loop, fd,
                    Errno.describe(errno));
        }
    }

    private void pause() {
        try {
            loop.modify(fd, 0, tag);
        } catch (NativeIoException e) {
            EventLoop.log(System.Logger.Level.WARNING, "could not pause a listener on " + loop, e);
            return;
        }
        loop.schedule(() -> {
            if (open) {
                try {
                    loop.modify(fd, Shim.EPOLLIN, tag);
                } catch (NativeIoException e) {
                    EventLoop.log(System.Logger.Level.WARNING, "could not resume a listener on " + loop, e);
                }
            }
        }, PAUSE_WHEN_OUT_OF_FDS_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void failed(Throwable error) {
        SpareFd.whileReleased(this::pause);
    }

    @Override
    public void closeGracefully() {
        abort();
    }

    @Override
    public void abort() {
        if (open) {
            open = false;
            loop.unregister(fd);
            loop.counters.countNative(Call.CLOSE);
            Shim.close(fd);
        }
    }
}
