package io.jepoll.loop;

import java.io.IOException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** A poller on a java.nio {@link Selector}: level-triggered, like epoll LT. */
final class SelectorPoller implements Poller {

    private final LoopCounters counters;
    private final Selector selector;
    private final Consumer<SelectionKey> dispatch = this::dispatch;
    private int registered;
    private Sink sink;

    SelectorPoller(LoopCounters counters) throws IOException {
        this.counters = counters;
        this.selector = Selector.open();
    }

    /** Watches {@code channel} for {@code interest} ({@link Readiness} bits); its events go to {@code target}. */
    SelectionKey register(SelectableChannel channel, int interest, Pollable target) throws IOException {
        counters.count(Call.CTL);
        int ops = toOps(channel, interest);
        if (channel instanceof SocketChannel socket && socket.isConnectionPending()) {
            // A connect in progress is writable when it completes; it is never modified meanwhile.
            ops = ops & ~SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT;
        }
        SelectionKey key = channel.register(selector, ops, target);
        registered++;
        return key;
    }

    void modify(SelectionKey key, int interest) {
        counters.count(Call.CTL);
        key.interestOps(toOps(key.channel(), interest));
    }

    /** Forgets {@code key}'s channel, which its owner closes next. */
    void deregister(SelectionKey key) {
        key.cancel();
        registered--;
    }

    @Override
    public int poll(int timeoutMillis, Sink sink) throws IOException {
        counters.count(Call.WAIT);
        this.sink = sink;
        return timeoutMillis == 0 ? selector.selectNow(dispatch) : selector.select(dispatch, Math.max(timeoutMillis, 0));
    }

    private void dispatch(SelectionKey key) {
        if (key.isValid()) {
            sink.ready((Pollable) key.attachment(), toReadiness(key.readyOps()));
        }
    }

    @Override
    public void wakeUp() {
        selector.wakeup();
    }

    @Override
    public int registered() {
        return registered;
    }

    @Override
    public List<Pollable> targets() {
        List<Pollable> all = new ArrayList<>(registered);
        for (SelectionKey key : selector.keys()) {
            if (key.isValid()) {
                all.add((Pollable) key.attachment());
            }
        }
        return all;
    }

    @Override
    public void close() {
        try {
            selector.close();
        } catch (IOException e) {
            EventLoop.log(System.Logger.Level.WARNING, "closing a selector failed", e);
        }
    }

    /** A listener reads by accepting. */
    private static int toOps(SelectableChannel channel, int interest) {
        int ops = 0;
        if ((interest & Readiness.READABLE) != 0) {
            ops |= (channel.validOps() & SelectionKey.OP_ACCEPT) != 0 ? SelectionKey.OP_ACCEPT : SelectionKey.OP_READ;
        }
        if ((interest & Readiness.WRITABLE) != 0) {
            ops |= SelectionKey.OP_WRITE;
        }
        return ops;
    }

    private static int toReadiness(int readyOps) {
        return ((readyOps & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT)) != 0 ? Readiness.READABLE : 0)
                | ((readyOps & (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT)) != 0 ? Readiness.WRITABLE : 0);
    }
}
