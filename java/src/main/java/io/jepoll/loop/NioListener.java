package io.jepoll.loop;

import io.jepoll.net.Handler;
import io.jepoll.net.SocketOptions;
import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** A listener on a {@link SelectorLoop}; pauses for a moment when accepts fail for lack of fds. */
final class NioListener implements NioChannel {

    private final SelectorLoop loop;
    private final ServerSocketChannel channel;
    private final SocketOptions options;
    private final Supplier<? extends Handler> handlers;
    private SelectionKey key;
    private boolean warnedAcceptFailure;

    NioListener(SelectorLoop loop, ServerSocketChannel channel, SocketOptions options,
            Supplier<? extends Handler> handlers) {
        this.loop = loop;
        this.channel = channel;
        this.options = options;
        this.handlers = handlers;
    }

    void register() throws IOException {
        key = channel.register(loop.selector(), SelectionKey.OP_ACCEPT, this);
        loop.opened();
    }

    @Override
    public void handle(int readyOps) {
        while (key.isValid()) {
            SocketChannel accepted;
            try {
                loop.counters.count(Call.ACCEPT);
                accepted = channel.accept();
            } catch (IOException e) {
                acceptFailed(e);
                return;
            }
            if (accepted == null) {
                return;
            }
            try {
                accepted.configureBlocking(false);
                NioConnection.applyOptions(accepted, options);
                new NioConnection(loop, accepted, handlers.get(), null, null).register(true);
            } catch (IOException | RuntimeException | Error e) {
                EventLoop.log(System.Logger.Level.WARNING, "could not set up an accepted connection on " + loop, e);
                SelectorLoop.closeQuietly(accepted);
            }
        }
    }

    /** Most likely out of fds: stop selecting for accepts for a moment rather than spin. */
    private void acceptFailed(IOException e) {
        SpareFd.whileReleased(() -> {
            if (!warnedAcceptFailure) {
                warnedAcceptFailure = true;
                EventLoop.log(System.Logger.Level.WARNING, "{0}: accept failed ({1}); pausing accepts for {2} ms"
                        + " at a time until it succeeds again (logged once)", loop, e.getMessage(),
                        EpollListener.PAUSE_WHEN_OUT_OF_FDS_MILLIS);
            }
            pause();
        });
    }

    private void pause() {
        key.interestOps(0);
        loop.schedule(() -> {
            if (key.isValid()) {
                key.interestOps(SelectionKey.OP_ACCEPT);
            }
        }, EpollListener.PAUSE_WHEN_OUT_OF_FDS_MILLIS, TimeUnit.MILLISECONDS);
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
        if (key.isValid()) {
            key.cancel();
            loop.closed();
            loop.counters.count(Call.CLOSE);
            SelectorLoop.closeQuietly(channel);
        }
    }
}
