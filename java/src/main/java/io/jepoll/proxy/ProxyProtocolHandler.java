package io.jepoll.proxy;

import io.jepoll.net.Activity;
import io.jepoll.net.Cancellable;
import io.jepoll.net.Connection;
import io.jepoll.net.Handler;
import io.jepoll.net.SendableFile;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSession;

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

    /** What the handler sees: the socket's connection, with the addresses the header gave. */
    private final class Proxied implements Connection {

        @Override
        public SocketAddress clientAddress() {
            return client != null ? client : socket.clientAddress();
        }

        @Override
        public SocketAddress clientDestination() {
            return destination != null ? destination : socket.clientDestination();
        }

        @Override
        public boolean write(ByteBuffer src) {
            return socket.write(src);
        }

        @Override
        public SendableFile openFile(Path path) throws IOException {
            return socket.openFile(path);
        }

        @Override
        public long sendFile(SendableFile file, long position, long count) {
            return socket.sendFile(file, position, count);
        }

        @Override
        public void flush() {
            socket.flush();
        }

        @Override
        public void notifyWhenDrained() {
            socket.notifyWhenDrained();
        }

        @Override
        public long pendingOutputBytes() {
            return socket.pendingOutputBytes();
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
        public void shutdownOutput() {
            socket.shutdownOutput();
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
        public boolean isOpen() {
            return socket.isOpen();
        }

        @Override
        public SocketAddress localAddress() {
            return socket.localAddress();
        }

        @Override
        public SocketAddress remoteAddress() {
            return socket.remoteAddress();
        }

        @Override
        public void execute(Runnable task) {
            socket.execute(task);
        }

        @Override
        public Cancellable schedule(Runnable task, long delay, TimeUnit unit) {
            return socket.schedule(task, delay, unit);
        }

        @Override
        public ByteBuffer scratchBuffer() {
            return socket.scratchBuffer();
        }

        /** The header's bytes included, as the socket counts them. */
        @Override
        public long bytesRead() {
            return socket.bytesRead();
        }

        @Override
        public long bytesWritten() {
            return socket.bytesWritten();
        }

        @Override
        public Activity activity() {
            return socket.activity();
        }

        @Override
        public void activity(Activity activity) {
            socket.activity(activity);
        }

        @Override
        public SSLSession tlsSession() {
            return socket.tlsSession();
        }

        @Override
        public Object attachment() {
            return socket.attachment();
        }

        @Override
        public void attach(Object attachment) {
            socket.attach(attachment);
        }

        @Override
        public String toString() {
            return "PROXY protocol from " + clientAddress() + " over " + socket;
        }
    }
}
