package io.jepoll.loop;

/** A channel registered with a {@link SelectorLoop}: a listener or a connection. */
interface NioChannel {

    /** Handles the ready operations (SelectionKey.OP_*) of one selected key. */
    void handle(int readyOps);

    void closeGracefully();

    void abort();

    /** Handling an event failed unexpectedly: a connection closes with the error, a listener pauses. */
    void failed(Throwable error);
}
