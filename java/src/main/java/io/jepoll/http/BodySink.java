package io.jepoll.http;

import java.nio.ByteBuffer;

/**
 * Where the body decoders put a request's body bytes: the request's own array for a buffered
 * body, or what a streamed body feeds. The decoders never hand over more than {@link #room}.
 */
interface BodySink {

    /** {@return how many more bytes it takes now} */
    long room();

    /** Takes {@code n} bytes from {@code in}'s position, and moves it past them. */
    void take(ByteBuffer in, int n) throws HttpException;
}
