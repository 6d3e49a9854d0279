/**
 * jepoll: event loops on Linux epoll (edge- and level-triggered) with a java.nio fallback,
 * and the echo and HTTP/1.1 protocols on them.
 *
 * <p>Users program against {@code io.jepoll.net} (connections and handlers), {@code io.jepoll.server}
 * (servers), {@code io.jepoll.tls} (TLS under any protocol), {@code io.jepoll.proxy} (the PROXY protocol in front of any protocol), {@code io.jepoll.loop} (transports, loops, counters) and the protocols. The JNA
 * binding ({@code io.jepoll.shim}) is not exported; the {@code jepoll} command line is a separate
 * artifact, {@code io.jepoll:jepoll-cli}.
 */
module io.jepoll {
    requires com.sun.jna;

    exports io.jepoll.net;
    exports io.jepoll.loop;
    exports io.jepoll.tls;
    exports io.jepoll.proxy;
    exports io.jepoll.server;
    exports io.jepoll.echo;
    exports io.jepoll.http;

    // JNA registers the shim's native methods on its class.
    opens io.jepoll.shim to com.sun.jna;
}
