package io.jepoll.http;

/**
 * The request is well framed but its content is not: a malformed percent-escape or UTF-8 in a
 * path parameter, the query or a form body. The request's accessors throw it, and a handler may
 * throw it too; either way the server answers 400 and keeps the connection, without logging it
 * or calling the error hook: the client erred, not the route.
 */
public final class BadRequestException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Makes one; the message is for the handler and is not sent.
     *
     * @param message what is wrong with the request
     */
    public BadRequestException(String message) {
        super(message, null, false, false);
    }
}
