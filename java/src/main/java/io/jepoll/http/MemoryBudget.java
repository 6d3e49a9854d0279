package io.jepoll.http;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One budget for what a server's HTTP connections hold, across all its loops: queued output
 * (direct chunks) and buffered request bodies (heap). Each connection reports what it holds after
 * each of its callbacks; past the limit, the connections holding the most are closed until the
 * rest fit again, each on its own loop, with a log line saying so. A connection holding the most
 * is the one whose peer reads the least of what it asked for (or sends most while not reading).
 */
final class MemoryBudget {

    private static final System.Logger LOG = System.getLogger(MemoryBudget.class.getName());

    /** What the budget is by default: a quarter of the heap's maximum, which is also the default direct-memory limit. */
    static long defaultLimit() {
        return Runtime.getRuntime().maxMemory() / 4;
    }

    private final long limit;
    private final AtomicLong used = new AtomicLong();
    /** Connections holding anything, to choose from when the budget is exceeded. */
    private final Set<HttpConnection> holders = ConcurrentHashMap.newKeySet();

    MemoryBudget(long limit) {
        this.limit = limit;
    }

    /** Whether {@code more} bytes would take the server past its budget. */
    boolean wouldExceed(long more) {
        return used.get() + more > limit;
    }

    /** {@code connection} now holds {@code delta} bytes more (or fewer); past the limit, the biggest holders are closed. */
    void change(HttpConnection connection, long delta, long nowHeld) {
        long total = used.addAndGet(delta);
        if (nowHeld > 0) {
            holders.add(connection);
        } else {
            holders.remove(connection);
        }
        if (delta > 0 && total > limit) {
            relieve(total);
        }
    }

    /**
     * Closes the connections holding the most until what the others hold fits. A connection
     * already being evicted counts as gone, so that several loops seeing the excess at once
     * close no more than needed.
     */
    private void relieve(long total) {
        List<HttpConnection> candidates = new ArrayList<>(holders);
        candidates.sort(Comparator.comparingLong(HttpConnection::held).reversed());
        long projected = total;
        for (HttpConnection candidate : candidates) {
            if (candidate.evicting()) {
                projected -= candidate.held();
            }
        }
        for (HttpConnection candidate : candidates) {
            if (projected <= limit) {
                return;
            }
            long held = candidate.held();
            if (candidate.evict()) {
                projected -= held;
                LOG.log(System.Logger.Level.WARNING, "the memory budget of " + limit + " bytes is exceeded ("
                        + total + " held by " + holders.size() + " connections): closing " + candidate.describe()
                        + ", which holds " + held + " bytes");
            }
        }
    }
}
