package io.jepoll.loop;

import io.jepoll.net.Connection;
import io.jepoll.net.Handler;
import io.jepoll.net.SocketOptions;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A readiness loop whose poller reports no sockets: tests hand connections their readiness
 * themselves, on the loop's thread. The poller tells when the loop goes idle (about to wait with
 * nothing to do: no tasks, no ready list), so a test step can wait until the loop has run
 * everything that step caused, the ready list included, and then read state the loop no longer
 * touches.
 */
final class FakeLoop extends ReadinessLoop {

    private final FakePoller poller = new FakePoller();

    FakeLoop(LoopConfig config, boolean edgeTriggered) {
        super(edgeTriggered ? "fake-et" : "fake-lt", "fake", config, edgeTriggered, false);
    }

    @Override
    FakePoller poller() {
        return poller;
    }

    /** Loop turns so far: one poll each. Loop thread only. */
    int turn() {
        return poller.turns;
    }

    /** Completes {@code idle} once the loop next goes idle. Loop thread only. */
    void whenIdle(CompletableFuture<Void> idle) {
        poller.idle = idle;
    }

    @Override
    public Transport transport() {
        return edgeTriggered ? Transport.EPOLL_ET : Transport.EPOLL_LT;
    }

    @Override
    CompletableFuture<InetSocketAddress> listen(InetSocketAddress address, SocketOptions options,
            Supplier<? extends Handler> handlers, boolean openToSiblings) {
        throw new UnsupportedOperationException();
    }

    @Override
    CompletableFuture<Void> listen(UnixSocketFile file, SocketOptions options, Supplier<? extends Handler> handlers,
            Supplier<? extends EventLoop> placement) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<Connection> connect(SocketAddress address, SocketOptions options, Handler handler) {
        throw new UnsupportedOperationException();
    }

    private static final class FakePoller implements Poller {
        private final Semaphore wakeUps = new Semaphore(0);
        private int turns;
        private CompletableFuture<Void> idle;

        @Override
        public int poll(int timeoutMillis, Sink sink) throws IOException {
            turns++;
            // The loop waits only when it has no task and no ready work: everything a step caused has run.
            if (timeoutMillis != 0 && idle != null) {
                idle.complete(null);
                idle = null;
            }
            try {
                if (timeoutMillis < 0) {
                    wakeUps.acquire();
                } else if (timeoutMillis > 0) {
                    wakeUps.tryAcquire(timeoutMillis, TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException();
            }
            wakeUps.drainPermits();
            return 0;
        }

        @Override
        public void wakeUp() {
            wakeUps.release();
        }

        @Override
        public int registered() {
            return 0;
        }

        @Override
        public List<Pollable> targets() {
            return List.of();
        }

        @Override
        public void close() {
        }
    }
}
