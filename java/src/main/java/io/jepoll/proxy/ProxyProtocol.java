package io.jepoll.proxy;

import io.jepoll.net.Connection;
import io.jepoll.net.Handler;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * The PROXY protocol (versions 1 and 2, as HAProxy defines them) in front of any handler: a
 * balancer that passes connections on (HAProxy's {@code send-proxy} and {@code send-proxy-v2},
 * nginx's {@code stream} with {@code proxy_protocol on}, cloud L4 balancers) first sends a header
 * with the client's address and the address it connected to. {@link #wrap} reads it before the
 * handler (and TLS, when the handler is {@link io.jepoll.tls.TlsHandler}) sees a byte, and then
 * serves the handler a {@link Connection} whose {@link Connection#clientAddress()} and
 * {@link Connection#clientDestination()} are the header's; {@link Connection#remoteAddress()}
 * stays the socket's peer, the balancer. Bytes that came with the header are the handler's.
 *
 * <p>It is strict: a connection whose first bytes are not a valid header of version 1 or 2, whose
 * header is malformed, cut short by the end of input, longer than allowed (107 bytes for v1, 4096
 * bytes of addresses and TLVs for v2), or not whole within {@link #headerTimeout()}, is aborted
 * without the handler hearing of it. The first such refusal of a server is logged at WARNING (a
 * balancer not sending the header, or clients reaching the port past it), each one after it at
 * DEBUG, and all are counted ({@link #refused()}). A version 2 header's TLVs are checked to end
 * within the header and skipped. The {@code LOCAL} command (a balancer's own health check) and v1's
 * {@code UNKNOWN} are accepted, and the connection is served with the socket's own addresses, as
 * it is for v2's unspecified and Unix families. A peer that closes before sending a byte is closed
 * without a refusal: a TCP health check does that.
 *
 * <p>One instance serves a server: {@link io.jepoll.server.TcpServer.Builder#proxyProtocol}
 * makes it. Its counters are shared by the server's loops.
 */
public final class ProxyProtocol {

    /** How long a connection has to send its whole header, by default. */
    public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(5);

    private static final System.Logger LOG = System.getLogger(ProxyProtocol.class.getName());

    private final Duration headerTimeout;
    private final LongAdder accepted = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private final AtomicBoolean refusedBefore = new AtomicBoolean();

    /**
     * The PROXY protocol for one server.
     *
     * @param headerTimeout how long a connection has to send its whole header, from its accept
     * @throws IllegalArgumentException when {@code headerTimeout} is not positive
     */
    public ProxyProtocol(Duration headerTimeout) {
        Objects.requireNonNull(headerTimeout, "headerTimeout");
        if (headerTimeout.isNegative() || headerTimeout.isZero()) {
            throw new IllegalArgumentException("the PROXY header timeout must be positive: " + headerTimeout);
        }
        this.headerTimeout = headerTimeout;
    }

    /**
     * {@return {@code handler} behind a PROXY protocol header: it runs from the header's end, with
     * a connection that answers the addresses the header gave}
     *
     * @param handler the handler of one connection
     */
    public Handler wrap(Handler handler) {
        return new ProxyProtocolHandler(this, Objects.requireNonNull(handler, "handler"));
    }

    /** {@return how long a connection has to send its whole header} */
    public Duration headerTimeout() {
        return headerTimeout;
    }

    /** {@return the connections whose header was accepted so far} */
    public long accepted() {
        return accepted.sum();
    }

    /** {@return the connections refused so far for a missing, malformed, oversized or late header} */
    public long refused() {
        return refused.sum();
    }

    void headerAccepted() {
        accepted.increment();
    }

    void headerRefused(Connection connection, String reason) {
        refused.increment();
        boolean first = refusedBefore.compareAndSet(false, true);
        LOG.log(first ? System.Logger.Level.WARNING : System.Logger.Level.DEBUG, () -> "refused the connection from "
                + connection.remoteAddress() + ": " + reason
                + (first ? " (the first PROXY protocol refusal of this server; later ones are logged at DEBUG and"
                        + " counted)" : ""));
    }
}
