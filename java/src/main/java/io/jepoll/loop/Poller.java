package io.jepoll.loop;

import java.io.IOException;
import java.util.List;

/**
 * How a readiness loop waits: one epoll fd, or one java.nio Selector. Registering a socket
 * depends on what the socket is (an fd, a SelectableChannel), so each poller has its own
 * {@code register} and {@code modify}; the loop needs only what is here.
 */
interface Poller {

    /** Where a poller reports each ready socket. */
    interface Sink {
        void ready(Pollable target, int readiness);
    }

    /**
     * Waits up to {@code timeoutMillis} (0: not at all, -1: until woken) and reports every
     * ready socket to {@code sink}; returns how many events the wait returned.
     */
    int poll(int timeoutMillis, Sink sink) throws IOException;

    /** Makes a blocked {@link #poll} return; any thread. */
    void wakeUp();

    /** How many sockets are registered. */
    int registered();

    /** The registered sockets, copied: closing them while iterating is safe. */
    List<Pollable> targets();

    /** Releases the poller; sockets still registered are the caller's to close first. */
    void close();
}
