package io.jepoll.loop;

import io.jepoll.net.Handler;
import io.jepoll.net.SocketOptions;
import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.function.Supplier;

/** A listener on a {@link SelectorLoop}; pauses for a moment when accepts fail for lack of fds. */
final class NioListener implements Pollable {

    private final SelectorLoop loop;
    private final SelectorPoller poller;
    private final ServerSocketChannel channel;
    private final SocketOptions options;
    private final Supplier<? extends Handler> handlers;
    private final AcceptPause pause;
    private SelectionKey key;

    NioListener(SelectorLoop loop, SelectorPoller poller, ServerSocketChannel channel, SocketOptions options,
            Supplier<? extends Handler> handlers) {
        this.loop = loop;
        this.poller = poller;
        this.channel = channel;
        this.options = options;
        this.handlers = handlers;
        this.pause = new AcceptPause(loop.toString());
    }

    void register() throws IOException {
        key = poller.register(channel, Readiness.READABLE, this);
    }

    @Override
    public void ready(int readiness) {
        while (key.isValid()) {
            SocketChannel accepted;
            try {
                loop.counters.count(Call.ACCEPT);
                accepted = channel.accept();
            } catch (IOException e) {
                pause.acceptFailed(e::getMessage, this::pause);
                return;
            }
            if (accepted == null) {
                return;
            }
            try {
                loop.accepted(accepted, options, handlers.get());
            } catch (IOException | RuntimeException | Error e) {
                EventLoop.log(System.Logger.Level.WARNING, "could not set up an accepted connection on " + loop, e);
                SelectorLoop.closeQuietly(accepted);
            }
        }
    }

    /** Stops selecting for accepts for a moment rather than spin on a listener it cannot accept from. */
    private void pause() {
        poller.modify(key, 0);
        loop.schedule(() -> {
            if (key.isValid()) {
                poller.modify(key, Readiness.READABLE);
            }
        }, AcceptPause.MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS);
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
        if (key.isValid()) {
            poller.deregister(key);
            loop.counters.count(Call.CLOSE);
            SelectorLoop.closeQuietly(channel);
        }
    }
}
