package io.jepoll.loop;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.jepoll.net.Handler;
import io.jepoll.net.SocketOptions;
import io.jepoll.shim.Errno;
import io.jepoll.shim.NativeIoException;
import io.jepoll.shim.Shim;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A listening socket on an {@link EpollLoop}: accepts in batches until the queue is empty.
 * When the process runs out of fds it stops listening for a moment instead of spinning on
 * a readable listener it cannot accept from. A Unix socket's listener, the only one of its
 * group, hands each connection to the loop its placement names, and removes its file on close.
 */
final class EpollListener implements Pollable {

    private static final int ACCEPT_BATCH = 64;

    private final EpollLoop loop;
    private final EpollPoller poller;
    private final int fd;
    private final Memory acceptedFds = new Memory(4L * ACCEPT_BATCH);
    private final long acceptedAddress = Pointer.nativeValue(acceptedFds);
    private final ByteBuffer accepted = acceptedFds.getByteBuffer(0, acceptedFds.size()).order(ByteOrder.nativeOrder());
    private final SocketOptions options;
    private final Supplier<? extends Handler> handlers;
    private final AcceptPause pause;
    private final UnixSocketFile unixFile;
    private final Supplier<? extends EventLoop> placement;
    private boolean open = true;

    /**
     * @param unixFile a Unix socket's file, or null for TCP
     * @param placement names the loop each accepted connection goes to
     */
    EpollListener(EpollLoop loop, EpollPoller poller, int fd, SocketOptions options,
            Supplier<? extends Handler> handlers, UnixSocketFile unixFile, Supplier<? extends EventLoop> placement) {
        this.loop = loop;
        this.poller = poller;
        this.fd = fd;
        this.options = options;
        this.handlers = handlers;
        this.pause = new AcceptPause(loop.toString());
        this.unixFile = unixFile;
        this.placement = placement;
    }

    @Override
    public void ready(int readiness) {
        int max = ACCEPT_BATCH;
        while (open) {
            int n = Shim.acceptBatch(fd, acceptedAddress, max);
            loop.counters.calls[Call.ACCEPT.ordinal()] += n < 0 ? 1 : n < max ? n + 1 : n;
            loop.counters.crossings++;
            if (n < 0) {
                acceptFailed(n);
                return;
            }
            for (int i = 0; i < n; i++) {
                opened(accepted.getInt(4 * i));
            }
            if (n < max) {
                return;
            }
        }
    }

    private void opened(int connectionFd) {
        SocketAddress unixLocal = unixFile == null ? null : unixFile.address();
        EventLoop target = placement.get();
        if (target != loop) {
            ((EpollLoop) target).adopt(connectionFd, options, handlers, unixLocal);
        } else {
            loop.open(connectionFd, options, handlers, unixLocal);
        }
    }

    private void acceptFailed(int result) {
        int errno = -result;
        if (errno == Errno.EMFILE || errno == Errno.ENFILE || errno == Errno.ENOBUFS || errno == Errno.ENOMEM) {
            pause.acceptFailed(() -> Errno.describe(errno), this::pause);
        } else if (errno != Errno.ECONNABORTED && errno != Errno.EINTR) {
            EventLoop.log(System.Logger.Level.WARNING, "{0}: accept(fd={1}) failed: {2}", loop, fd,
                    Errno.describe(errno));
        }
    }

    private void pause() {
        try {
            poller.modify(fd, 0);
        } catch (NativeIoException e) {
            EventLoop.log(System.Logger.Level.WARNING, "could not pause a listener on " + loop, e);
            return;
        }
        loop.schedule(() -> {
            if (open) {
                try {
                    poller.modify(fd, Readiness.READABLE);
                } catch (NativeIoException e) {
                    EventLoop.log(System.Logger.Level.WARNING, "could not resume a listener on " + loop, e);
                }
            }
        }, AcceptPause.MILLIS, TimeUnit.MILLISECONDS);
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
    public void stopAccepting() {
        ready(Readiness.READABLE);
        abort();
    }

    @Override
    public void abort() {
        if (open) {
            open = false;
            poller.deregister(fd);
            acceptedFds.close();
            loop.counters.countNative(Call.CLOSE);
            Shim.close(fd);
            if (unixFile != null) {
                unixFile.release();
            }
        }
    }
}
