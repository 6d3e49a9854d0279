package io.jepoll.loop;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Makes the threads of the blocking transport: virtual threads where the JDK has them (21+),
 * found at run time so that jepoll still compiles for 17; platform threads elsewhere.
 */
final class ConnectionThreads {

    private static final ThreadFactory VIRTUAL = virtualThreadFactory();
    private static final AtomicLong COUNT = new AtomicLong();

    private ConnectionThreads() {
    }

    static boolean virtual() {
        return VIRTUAL != null;
    }

    static Thread start(String name, Runnable body) {
        Thread thread;
        if (VIRTUAL != null) {
            thread = VIRTUAL.newThread(body);
            thread.setName(name + "-" + COUNT.incrementAndGet());
        } else {
            thread = new Thread(body, name + "-" + COUNT.incrementAndGet());
            thread.setDaemon(true);
        }
        thread.start();
        return thread;
    }

    private static ThreadFactory virtualThreadFactory() {
        try {
            Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
            return (ThreadFactory) Class.forName("java.lang.Thread$Builder").getMethod("factory").invoke(builder);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
