package io.jepoll.net;

/**
 * What a connection is doing, as its protocol says ({@link Connection#activity(Activity)}).
 * A server under pressure (a connection cap, a memory budget, a drain before a restart) reads
 * it to close first the connections that lose nothing by it.
 */
public enum Activity {
    /**
     * Open, and no request taken on yet (the first may be arriving, as long as the protocol has
     * not accepted it as one). Where a protocol never says otherwise, its connections stay here.
     */
    AWAITING_REQUEST,
    /** Between requests (the next may be arriving): nothing in progress, nothing to answer. */
    IDLE,
    /** A request taken on, or its answer being sent: closing now loses work. */
    BUSY
}
