package io.jepoll.loop;

/** A socket registered with an {@link EpollLoop}: a listener or a connection. */
interface EpollChannel {

    int fd();

    /** The tag the loop registered this fd with; an event carrying another tag is stale. */
    int tag();

    /** Handles the EPOLL* bits of one ready event. */
    void handle(int events);

    /** Starts a graceful close (a listener closes at once). */
    void closeGracefully();

    /** Closes at once. */
    void abort();

    /** Handling an event failed unexpectedly: a connection closes with the error, a listener pauses. */
    void failed(Throwable error);
}
