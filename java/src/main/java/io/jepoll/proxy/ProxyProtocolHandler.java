package io.jepoll.proxy;

import io.jepoll.net.Cancellable;
import io.jepoll.net.Connection;
import io.jepoll.net.ForwardingConnection;
import io.jepoll.net.Handler;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * Reads a connection's PROXY protocol header, then hands the connection, as the header
 * describes it, to the handler: see {@link ProxyProtocol}. Until the header is whole its bytes
 * stay unconsumed in the socket connection's input (at most the header's limit), and the parser
 * reads them again with the next ones.
 */
final class ProxyProtocolHandler implements Handler {

    private static final System.Logger LOG = System.getLogger(ProxyProtocolHandler.class.getName());

    private final ProxyProtocol protocol;
    private final Handler handler;
    private final Proxied proxied = new Proxied();
    private Connection socket;
    private Cancellable headerTimer;
    /** The header was read and the handler's onOpen ran. */
    private boolean opened;
    /** Part of a header has arrived. */
    private boolean headerStarted;
    private SocketAddress client;
    private SocketAddress destination;
    /** The server drains: the handler is told once it is open, right after its onOpen. */
    private boolean draining;
    /** The handler closed the connection or paused its reads: bytes after the header wait. */
    private boolean readsHeld;

    ProxyProtocolHandler(ProxyProtocol protocol, Handler handler) {
        this.protocol = protocol;
        this.handler = handler;
    }

    @Override
    public void onOpen(Connection connection) {
        socket = connection;
        headerTimer = connection.schedule(this::headerTimedOut, protocol.headerTimeout().toNanos(),
                TimeUnit.NANOSECONDS);
    }

    @Override
    public void onData(Connection connection, ByteBuffer in) {
        if (opened) {
            handler.onData(proxied, in);
            return;
        }
        ProxyHeader header;
        try {
            header = ProxyHeader.parse(in);
        } catch (ProxyHeader.Refused e) {
            in.position(in.limit());
            refuse(e.getMessage());
            return;
        }
        if (header == null) {
            headerStarted = true;
            return;
        }
        in.position(in.position() + header.length);
        headerTimer.cancel();
        client = header.source;
        destination = header.destination;
        opened = true;
        protocol.headerAccepted();
        handler.onOpen(proxied);
        if (draining && connection.isOpen()) {
            handler.onDrain(proxied);
        }
        // A pipelined first request or a TLS ClientHello may have come in the same read.
        if (in.hasRemaining() && !readsHeld && connection.isOpen()) {
            handler.onData(proxied, in);
        }
    }

    @Override
    public void onWritable(Connection connection) {
        if (opened) {
            handler.onWritable(proxied);
        }
    }

    @Override
    public void onInputShutdown(Connection connection) {
        if (opened) {
            handler.onInputShutdown(proxied);
        } else if (headerStarted) {
            refuse("the input ended inside the PROXY protocol header");
        } else {
            LOG.log(System.Logger.Level.DEBUG, () -> "closing " + connection.remoteAddress()
                    + ": it closed without sending a byte");
            connection.close();
        }
    }

    /** Passed on once the header is in; a connection still owing it is told when it has come. */
    @Override
    public void onDrain(Connection connection) {
        if (opened) {
            handler.onDrain(proxied);
        } else {
            draining = true;
        }
    }

    @Override
    public void onClose(Connection connection, Throwable cause) {
        if (headerTimer != null) {
            headerTimer.cancel();
        }
        if (opened) {
            handler.onClose(proxied, cause);
        }
    }

    private void headerTimedOut() {
        if (!opened && socket.isOpen()) {
            refuse("no whole PROXY protocol header within " + protocol.headerTimeout()
                    + (headerStarted ? "" : " (not a byte of it)"));
        }
    }

    private void refuse(String reason) {
        protocol.headerRefused(socket, reason);
        socket.abort();
    }

    /** What the handler sees: the socket's connection (its counts include the header), with the addresses the header gave. */
    private final class Proxied extends ForwardingConnection {

        @Override
        protected Connection delegate() {
            return socket;
        }

        @Override
        public SocketAddress clientAddress() {
            return client != null ? client : socket.clientAddress();
        }

        @Override
        public SocketAddress clientDestination() {
            return destination != null ? destination : socket.clientDestination();
        }

        @Override
        public void close() {
            readsHeld = true;
            socket.close();
        }

        @Override
        public void abort() {
            readsHeld = true;
            socket.abort();
        }

        @Override
        public void suspendReads() {
            readsHeld = true;
            socket.suspendReads();
        }

        @Override
        public void resumeReads() {
            readsHeld = false;
            socket.resumeReads();
        }

        @Override
        public String toString() {
            return "PROXY protocol from " + clientAddress() + " over " + socket;
        }
    }
}
