package io.jepoll.loop;

import java.nio.channels.ServerSocketChannel;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A listening channel that several selector loops accept from, each registered with its own
 * selector. Each loop lets go of it once; the last one closes it.
 */
final class SharedChannel {

    private final ServerSocketChannel channel;
    private final AtomicInteger holders;

    SharedChannel(ServerSocketChannel channel, int holders) {
        this.channel = channel;
        this.holders = new AtomicInteger(holders);
    }

    ServerSocketChannel channel() {
        return channel;
    }

    void release() {
        if (holders.decrementAndGet() == 0) {
            SelectorLoop.closeQuietly(channel);
        }
    }
}
