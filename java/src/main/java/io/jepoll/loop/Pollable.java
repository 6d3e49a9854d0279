package io.jepoll.loop;

/** A socket a loop's poller watches: a listener or a connection. */
interface Pollable {

    /** Handles one ready event: {@link Readiness} bits. */
    void ready(int readiness);

    /** Starts a graceful close (a listener closes at once). */
    void closeGracefully();

    /**
     * Stops taking new connections: a listener accepts what is already queued (closing it would
     * reset those) and closes; a connection carries on.
     */
    default void stopAccepting() {
    }

    /** Closes at once. */
    void abort();

    /** Handling an event failed unexpectedly: a connection closes with the error, a listener pauses. */
    void failed(Throwable error);
}
