package io.jepoll.http;

import java.lang.reflect.InvocationTargetException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where blocking routes run: the executor the user gave, or one made on first use and shut down
 * with the server: a virtual thread per task where the JDK has them (21 and later), else a pool
 * of {@value #PLATFORM_THREADS} daemon threads.
 */
final class BlockingExecutor implements Executor {

    static final int PLATFORM_THREADS = 64;

    private Executor given;
    private ExecutorService made;

    /** Runs blocking routes on {@code executor} instead of one made here; set while the server is built. */
    synchronized void use(Executor executor) {
        this.given = executor;
    }

    @Override
    public void execute(Runnable task) {
        executor().execute(task);
    }

    private synchronized Executor executor() {
        if (given != null) {
            return given;
        }
        if (made == null) {
            made = makeDefault();
        }
        return made;
    }

    /** Shuts down the executor this made, if it made one; tasks under way finish. */
    synchronized void shutdown() {
        if (made != null) {
            made.shutdown();
        }
    }

    /** The JDK 21 factory is looked up rather than linked, so that the library still runs on 17. */
    private static ExecutorService makeDefault() {
        try {
            return (ExecutorService) java.util.concurrent.Executors.class
                    .getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        } catch (NoSuchMethodException | IllegalAccessException | InvocationTargetException e) {
            AtomicInteger count = new AtomicInteger();
            ThreadPoolExecutor pool = new ThreadPoolExecutor(PLATFORM_THREADS, PLATFORM_THREADS, 60, TimeUnit.SECONDS,
                    new LinkedBlockingQueue<>(), task -> {
                        Thread thread = new Thread(task, "jepoll-blocking-" + count.incrementAndGet());
                        thread.setDaemon(true);
                        return thread;
                    });
            pool.allowCoreThreadTimeOut(true);
            return pool;
        }
    }
}
