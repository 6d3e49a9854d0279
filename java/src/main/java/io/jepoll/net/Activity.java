package io.jepoll.net;

/**
 * What a connection is doing, as its protocol says ({@link Connection#activity(Activity)}).
 * A server under pressure (a connection cap, a memory budget, a drain before a restart) reads
 * it to close first the connections that lose nothing by it.
 */
public enum Activity {
    /** Open, and nothing of a first request has arrived yet. */
    AWAITING_REQUEST,
    /** Between requests: nothing in progress, nothing to answer. */
    IDLE,
    /** A request in progress or its answer being sent: closing now loses work. */
    BUSY
}
