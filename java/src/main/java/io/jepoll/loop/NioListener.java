package io.jepoll.loop;

import io.jepoll.net.Handler;
import io.jepoll.net.SocketOptions;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.function.Supplier;

/**
 * A listener on a {@link SelectorLoop}; pauses for a moment when accepts fail for lack of fds. A
 * Unix socket's listener, the only one of its group, hands each connection to the loop its
 * placement names, and removes its file on close.
 */
final class NioListener implements Pollable {

    private final SelectorLoop loop;
    private final SelectorPoller poller;
    private final ServerSocketChannel channel;
    private final SocketOptions options;
    private final Supplier<? extends Handler> handlers;
    private final AcceptPause pause;
    private final UnixSocketFile unixFile;
    private final Supplier<? extends EventLoop> placement;
    private SelectionKey key;

    /**
     * @param unixFile a Unix socket's file, or null for TCP
     * @param placement names the loop each accepted connection goes to
     */
    NioListener(SelectorLoop loop, SelectorPoller poller, ServerSocketChannel channel, SocketOptions options,
            Supplier<? extends Handler> handlers, UnixSocketFile unixFile, Supplier<? extends EventLoop> placement) {
        this.loop = loop;
        this.poller = poller;
        this.channel = channel;
        this.options = options;
        this.handlers = handlers;
        this.pause = new AcceptPause(loop.toString());
        this.unixFile = unixFile;
        this.placement = placement;
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
            SocketAddress listenerAddress = unixFile == null ? null : unixFile.address();
            EventLoop target = placement.get();
            if (target != loop) {
                ((SelectorLoop) target).adopt(accepted, options, handlers, listenerAddress);
            } else {
                loop.open(accepted, options, handlers, listenerAddress);
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
            if (unixFile != null) {
                unixFile.release();
            }
        }
    }
}
