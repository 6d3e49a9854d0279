package io.jepoll.net;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSession;

/**
 * Passes every call on to another connection: a layer over a connection (TLS, the PROXY
 * protocol) hands its handler one of these and overrides only what it changes.
 */
public abstract class ForwardingConnection implements Connection {

    /** {@return the connection the calls go to} */
    protected abstract Connection delegate();

    @Override
    public boolean write(ByteBuffer src) {
        return delegate().write(src);
    }

    @Override
    public SendableFile openFile(Path path) throws IOException {
        return delegate().openFile(path);
    }

    @Override
    public long sendFile(SendableFile file, long position, long count) {
        return delegate().sendFile(file, position, count);
    }

    @Override
    public void flush() {
        delegate().flush();
    }

    @Override
    public void notifyWhenDrained() {
        delegate().notifyWhenDrained();
    }

    @Override
    public long pendingOutputBytes() {
        return delegate().pendingOutputBytes();
    }

    @Override
    public void close() {
        delegate().close();
    }

    @Override
    public void abort() {
        delegate().abort();
    }

    @Override
    public void shutdownOutput() {
        delegate().shutdownOutput();
    }

    @Override
    public void suspendReads() {
        delegate().suspendReads();
    }

    @Override
    public void resumeReads() {
        delegate().resumeReads();
    }

    @Override
    public boolean isOpen() {
        return delegate().isOpen();
    }

    @Override
    public SocketAddress localAddress() {
        return delegate().localAddress();
    }

    @Override
    public SocketAddress remoteAddress() {
        return delegate().remoteAddress();
    }

    @Override
    public SocketAddress clientAddress() {
        return delegate().clientAddress();
    }

    @Override
    public SocketAddress clientDestination() {
        return delegate().clientDestination();
    }

    @Override
    public void execute(Runnable task) {
        delegate().execute(task);
    }

    @Override
    public Cancellable schedule(Runnable task, long delay, TimeUnit unit) {
        return delegate().schedule(task, delay, unit);
    }

    @Override
    public ByteBuffer scratchBuffer() {
        return delegate().scratchBuffer();
    }

    @Override
    public long bytesRead() {
        return delegate().bytesRead();
    }

    @Override
    public long bytesWritten() {
        return delegate().bytesWritten();
    }

    @Override
    public Activity activity() {
        return delegate().activity();
    }

    @Override
    public void activity(Activity activity) {
        delegate().activity(activity);
    }

    @Override
    public SSLSession tlsSession() {
        return delegate().tlsSession();
    }

    @Override
    public Object attachment() {
        return delegate().attachment();
    }

    @Override
    public void attach(Object attachment) {
        delegate().attach(attachment);
    }
}
