package io.jepoll.loop;

import java.util.function.Supplier;

/**
 * What every listener does when accept fails for want of fds or memory: stop accepting for a
 * moment instead of spinning on a listener it cannot accept from, and say so once.
 */
final class AcceptPause {

    static final long MILLIS = 100;

    private final String loop;
    private boolean warned;

    AcceptPause(String loop) {
        this.loop = loop;
    }

    /**
     * Logs the first failure, then runs {@code pause}; both with the spare fd released, as
     * describing the failure, logging it or pausing may load a class or open a file.
     */
    void acceptFailed(Supplier<String> reason, Runnable pause) {
        SpareFd.whileReleased(() -> {
            if (!warned) {
                warned = true;
                EventLoop.log(System.Logger.Level.WARNING, "{0}: accept failed ({1}); pausing accepts for {2} ms at"
                        + " a time until it succeeds again (logged once)", loop, reason.get(), MILLIS);
            }
            pause.run();
        });
    }
}
