package io.jepoll.tls;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The default home of the engines' delegated tasks (a handshake's signatures and key exchange):
 * one daemon thread per core at most, made when first needed and let go after a minute idle,
 * so that a process that never handshakes holds no thread and one that does never waits for
 * its loops.
 */
final class HandshakeTasks {

    private HandshakeTasks() {
    }

    static Executor shared() {
        return Holder.POOL;
    }

    private static final class Holder {
        static final ExecutorService POOL = pool();

        private static ExecutorService pool() {
            int threads = Runtime.getRuntime().availableProcessors();
            AtomicInteger count = new AtomicInteger();
            ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 1, TimeUnit.MINUTES,
                    new LinkedBlockingQueue<>(), task -> {
                        Thread thread = new Thread(task, "jepoll-tls-" + count.incrementAndGet());
                        thread.setDaemon(true);
                        return thread;
                    });
            pool.allowCoreThreadTimeOut(true);
            return pool;
        }
    }
}
