package io.jepoll.tls;

import io.jepoll.net.Cancellable;
import io.jepoll.net.Connection;
import io.jepoll.net.ForwardingConnection;
import io.jepoll.net.Handler;
import io.jepoll.net.SendableFile;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSession;

/**
 * TLS between a connection and a protocol's {@link Handler}: what arrives is decrypted before
 * the handler sees it, what the handler writes is encrypted before the connection sends it. The
 * handler gets a {@link Connection} of its own, which behaves as the socket's does (writes,
 * back-pressure, suspended reads, files, timers) with plain bytes, so a handler written for
 * plain TCP runs unchanged. Made by {@link TlsContext#wrap}.
 *
 * <p>The loop rules hold: the handshake advances on the connection's loop as bytes arrive,
 * except for the engine's heavy steps (signatures, key exchange), which run on the context's
 * task executor while reads are paused. Input is decrypted from whatever bytes have arrived (a
 * record split anywhere waits for its rest in the connection's unconsumed input); the records
 * of one read are decrypted into one buffer and handed over in one call, and one write of the
 * handler goes to the socket as one write, so pipelined requests and batched answers stay
 * batched. The buffers are borrowed from a small shared pool for each call and given back after
 * it: an idle connection holds none, on the blocking transport's thread per connection too.
 *
 * <p>On the blocking transport a blocked write lets the connection's tasks run (see
 * {@link Connection}); a task that writes, or the reading thread's callback, while another thread
 * is in the middle of encrypting and sending, hands its bytes to that thread, which encrypts and
 * sends them once its own write is done, so that records go out in the order they were sealed.
 *
 * <p>The handler's {@link Handler#onOpen} runs once the handshake is done; a connection whose
 * handshake fails (bad input, an alert, no protocol in common, a stall past the handshake
 * timeout) is closed without the handler hearing of it, and is logged at DEBUG only: a peer's
 * garbage costs that peer.
 */
public final class TlsHandler implements Handler {

    private static final System.Logger LOG = System.getLogger(TlsHandler.class.getName());
    /** The first byte of a TLS handshake record; anything else first is not TLS. */
    private static final byte HANDSHAKE_RECORD = 22;
    /** Most plain bytes a handler may leave unconsumed: as much as a loop allows by default. */
    private static final int MAX_UNCONSUMED = 1024 * 1024;
    /** Most file bytes one {@link Plain#sendFile} encrypts, so that one fast peer cannot hold its loop. */
    private static final long MAX_FILE_BYTES_PER_CALL = 1024 * 1024;
    private static final ByteBuffer NOTHING = ByteBuffer.allocate(0).asReadOnlyBuffer();

    private final TlsContext context;
    private final Handler handler;
    private final String peerHost;
    private final int peerPort;
    private final Plain plain = new Plain();
    private final CompletableFuture<Connection> handshake = new CompletableFuture<>();
    private Connection socket;
    private SSLEngine engine;
    private Cancellable handshakeTimer;
    /** The handshake is done and the handler's onOpen ran. */
    private boolean opened;
    private boolean firstBytesChecked;
    /** The engine's delegated tasks run elsewhere: reads of the socket are paused meanwhile. */
    private boolean taskRunning;
    /** The handler paused its reads. */
    private boolean suspended;
    /** The peer's close_notify (or a FIN) came; nothing more will be decrypted. */
    private boolean inputDone;
    private boolean inputShutdownTold;
    private boolean outputClosed;
    /** The handler or this layer closed (or aborted) the connection: nothing more is handed over. */
    private boolean closing;
    /** The server drains: the handler is told once the handshake is done, right after its onOpen. */
    private boolean draining;
    /** Decrypted bytes the handler left unconsumed, kept while nothing else is to be decrypted. */
    private ByteBuffer kept;
    /** The thread inside an engine call and its write; another thread's turn is deferred to it. */
    private Thread busy;
    private int depth;
    /** The buffers of the call in progress, borrowed for it. */
    private TlsBuffers buffers;
    /** Encrypted bytes that arrived while another thread was busy, or that a handler's pause held back. */
    private ByteBuffer deferredInput;
    /** Plain bytes written while another thread was busy. */
    private ByteBuffer deferredOutput;
    /** A close or shutdown of output asked for while another thread was busy. */
    private Runnable deferredEnd;
    /** The input ended while another thread was busy. */
    private boolean inputEndDeferred;
    /** Why this side ended the connection, for the handler's onClose. */
    private Throwable failure;
    private Object attachment;

    TlsHandler(TlsContext context, Handler handler, String peerHost, int peerPort) {
        this.context = context;
        this.handler = handler;
        this.peerHost = peerHost;
        this.peerPort = peerPort;
    }

    /**
     * {@return completes with the handler's connection once the handshake is done, or with why it
     * failed}
     */
    public CompletableFuture<Connection> handshake() {
        return handshake;
    }

    @Override
    public void onOpen(Connection connection) {
        socket = connection;
        engine = context.newEngine(peerHost, peerPort);
        handshakeTimer = connection.schedule(this::handshakeTimedOut, context.handshakeTimeout().toNanos(),
                TimeUnit.NANOSECONDS);
        enter();
        try {
            engine.beginHandshake();
            if (context.isClient()) {
                advance(NOTHING, false);
            }
        } catch (SSLException e) {
            fail(e);
        } finally {
            exit();
        }
    }

    /**
     * Starts an engine call on this thread; false when another thread is in one, whose caller
     * then defers its work to that thread.
     */
    private boolean enter() {
        Thread current = Thread.currentThread();
        if (busy != null && busy != current) {
            return false;
        }
        if (depth++ == 0) {
            busy = current;
            buffers = TlsBuffers.borrow();
        }
        return true;
    }

    /** Ends an engine call: the outermost first does what other threads deferred meanwhile. */
    private void exit() {
        try {
            if (depth == 1) {
                doDeferred();
            }
        } finally {
            if (--depth == 0) {
                busy = null;
                TlsBuffers.release(buffers);
                buffers = null;
            }
        }
    }

    private void doDeferred() {
        while (socket.isOpen() && (deferredOutput != null || deferredEnd != null
                || ((deferredInput != null || inputEndDeferred) && !suspended && !taskRunning && !closing))) {
            if (deferredOutput != null) {
                ByteBuffer output = deferredOutput.flip();
                deferredOutput = null;
                plain.write(output);
            } else if (deferredEnd != null) {
                Runnable end = deferredEnd;
                deferredEnd = null;
                end.run();
            } else if (deferredInput != null) {
                ByteBuffer before = deferredInput;
                advance(NOTHING, false);
                if (deferredInput == before && inputEndDeferred && !suspended && !taskRunning) {
                    // A record cut short by the end of input: nothing more will complete it.
                    deferredInput = null;
                }
            } else {
                inputEndDeferred = false;
                inputEnded(socket);
            }
        }
    }

    @Override
    public void onData(Connection connection, ByteBuffer in) {
        if (!firstBytesChecked) {
            firstBytesChecked = true;
            if (!context.isClient() && in.get(in.position()) != HANDSHAKE_RECORD) {
                refusePlainText(in);
                return;
            }
        }
        if (busy != null && busy != Thread.currentThread()) {
            deferredInput = append(deferredInput, in);
        } else if (!taskRunning && !suspended) {
            advance(in, false);
        }
    }

    @Override
    public void onWritable(Connection connection) {
        if (opened) {
            handler.onWritable(plain);
        }
    }

    /**
     * Passed on once the handler is open; a handshake under way finishes first, so that its
     * handler can still answer what the peer asked.
     */
    @Override
    public void onDrain(Connection connection) {
        if (draining) {
            return;
        }
        draining = true;
        if (opened && !closing) {
            handler.onDrain(plain);
        }
    }

    /** A FIN: the end of input, whether or not a close_notify came before it. */
    @Override
    public void onInputShutdown(Connection connection) {
        if (busy != null && busy != Thread.currentThread()) {
            // After the bytes handed over before it, by the thread in the engine call.
            inputEndDeferred = true;
        } else {
            inputEnded(connection);
        }
    }

    private void inputEnded(Connection connection) {
        if (!opened) {
            LOG.log(System.Logger.Level.DEBUG, () -> "closing " + connection.remoteAddress() + ": its input ended in the TLS handshake");
            connection.close();
            return;
        }
        if (!inputDone) {
            inputDone = true;
            try {
                engine.closeInbound();
            } catch (SSLException truncated) {
                LOG.log(System.Logger.Level.DEBUG, () -> connection.remoteAddress() + " ended its input without close_notify");
            }
        }
        if (!suspended && !taskRunning && !closing) {
            advance(NOTHING, false);
        }
    }

    @Override
    public void onClose(Connection connection, Throwable cause) {
        if (handshakeTimer != null) {
            handshakeTimer.cancel();
        }
        kept = null;
        Throwable why = cause != null ? cause : failure;
        if (opened) {
            // The handler may close from its onOpen, before the handshake's future completes.
            handshake.complete(plain);
        } else {
            handshake.completeExceptionally(why != null ? why
                    : new SSLHandshakeException("the connection closed during the TLS handshake"));
        }
        if (opened) {
            handler.onClose(plain, why);
        }
    }

    /**
     * Moves the engine on with the bytes of {@code in}: decrypts records, runs the handshake's
     * steps, and hands what it decrypted to the handler in one call.
     *
     * @param redeliver hand the kept bytes over even if nothing new is decrypted (reads resumed)
     */
    private void advance(ByteBuffer socketIn, boolean redeliver) {
        if (!enter()) {
            deferredInput = append(deferredInput, socketIn);
            return;
        }
        ByteBuffer held = deferredInput;
        deferredInput = null;
        int heldBytes = held == null ? 0 : held.flip().remaining();
        ByteBuffer in = buffers.encryptedCopy(held, socketIn);
        try {
            decrypt(in, redeliver);
        } finally {
            // What the engine left (a record's start, or input a pause held back) stays where it
            // came from; bytes another thread deferred during this call come after it.
            if (in.position() < heldBytes) {
                ByteBuffer later = deferredInput;
                held.position(in.position());
                deferredInput = later == null ? held.compact() : append(held.compact(), later.flip());
            } else {
                socketIn.position(socketIn.position() + in.position() - heldBytes);
            }
            exit();
        }
    }

    /** {@code bytes}' remaining bytes after those of {@code to} (in write mode, or null), consumed from {@code bytes}. */
    private static ByteBuffer append(ByteBuffer to, ByteBuffer bytes) {
        ByteBuffer grown = to;
        if (grown == null || grown.remaining() < bytes.remaining()) {
            int length = grown == null ? 0 : grown.position();
            grown = ByteBuffer.allocate(Math.max(length + bytes.remaining(), 2 * length));
            if (to != null) {
                grown.put(to.flip());
            }
        }
        return grown.put(bytes);
    }

    /** The engine's work on {@code in}, a heap buffer, within a call: see {@link #advance}. */
    private void decrypt(ByteBuffer in, boolean redeliver) {
        ByteBuffer decrypted = buffers.in(kept == null ? 0 : kept.remaining());
        if (kept != null) {
            decrypted.put(kept);
            kept = null;
        }
        boolean fresh = redeliver;
        try {
            while (socket.isOpen() && !closing) {
                HandshakeStatus status = engine.getHandshakeStatus();
                if (status == HandshakeStatus.NEED_TASK) {
                    if (opened && isTls12()) {
                        refuse("renegotiation");
                        return;
                    }
                    runTasks();
                    break;
                }
                if (status == HandshakeStatus.NEED_WRAP) {
                    wrapHandshake(buffers.out);
                    continue;
                }
                if (inputDone || suspended || (!in.hasRemaining() && status != HandshakeStatus.NEED_UNWRAP_AGAIN)) {
                    break;
                }
                SSLEngineResult result = engine.unwrap(in, decrypted);
                if (result.getHandshakeStatus() == HandshakeStatus.FINISHED) {
                    handshakeDone();
                }
                if (result.bytesProduced() > 0) {
                    fresh = true;
                }
                if (result.getStatus() == Status.BUFFER_UNDERFLOW) {
                    break;
                }
                if (result.getStatus() == Status.CLOSED) {
                    inputDone = true;
                } else if (result.getStatus() == Status.BUFFER_OVERFLOW) {
                    deliver(decrypted);
                    decrypted = roomAfter(decrypted);
                    fresh = false;
                }
            }
        } catch (SSLException e) {
            fail(e);
            return;
        }
        if (fresh) {
            deliver(decrypted);
        }
        keep(decrypted);
        if (inputDone && opened && !suspended && !inputShutdownTold && !closing && socket.isOpen()) {
            inputShutdownTold = true;
            handler.onInputShutdown(plain);
        }
    }

    /** Hands the decrypted bytes to the handler; what it leaves stays at the buffer's start. */
    private void deliver(ByteBuffer decrypted) {
        decrypted.flip();
        if (opened && decrypted.hasRemaining() && !closing && socket.isOpen()) {
            handler.onData(plain, decrypted);
        }
        decrypted.compact();
    }

    /** The buffer again, or a bigger one, with room for another record after what the handler left. */
    private ByteBuffer roomAfter(ByteBuffer decrypted) throws SSLException {
        if (decrypted.remaining() >= TlsBuffers.PACKET_SIZE) {
            return decrypted;
        }
        if (decrypted.position() > MAX_UNCONSUMED) {
            throw new SSLException("the peer sent more than " + MAX_UNCONSUMED + " bytes that the handler did not consume");
        }
        ByteBuffer unconsumed = decrypted.flip();
        ByteBuffer bigger = ByteBuffer.allocate(unconsumed.remaining() + TlsBuffers.PACKET_SIZE * 2);
        bigger.put(unconsumed);
        buffers.replaceIn(bigger);
        return bigger;
    }

    /** Keeps what the handler left unconsumed (flipped or not yet), until more arrives or reads resume. */
    private void keep(ByteBuffer decrypted) {
        if (decrypted.position() > 0 && socket.isOpen() && !closing) {
            decrypted.flip();
            kept = ByteBuffer.allocate(decrypted.remaining()).put(decrypted).flip();
        }
    }

    /** Writes the handshake (or alert, or close_notify) records the engine has to send. */
    private void wrapHandshake(ByteBuffer out) throws SSLException {
        out.clear();
        SSLEngineResult result;
        do {
            result = engine.wrap(NOTHING, out);
            if (result.getHandshakeStatus() == HandshakeStatus.FINISHED) {
                handshakeDoneAfter(out);
                return;
            }
        } while (result.getStatus() == Status.OK && engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP
                && out.remaining() >= TlsBuffers.PACKET_SIZE);
        send(out);
        if (result.getStatus() == Status.CLOSED) {
            outputClosed = true;
            if (!opened) {
                socket.close();
            }
        }
    }

    /** The records up to the handshake's end go out before the handler can write after them. */
    private void handshakeDoneAfter(ByteBuffer out) {
        send(out);
        handshakeDone();
    }

    private void handshakeDone() {
        if (opened) {
            return;
        }
        opened = true;
        handshakeTimer.cancel();
        handler.onOpen(plain);
        handshake.complete(plain);
        if (draining && plain.isOpen()) {
            handler.onDrain(plain);
        }
    }

    /** Hands over the kept bytes again, unless reads are paused. */
    private void redeliver() {
        if (!suspended && !taskRunning && !closing && socket.isOpen()) {
            guarded(() -> advance(NOTHING, true));
        }
    }

    private boolean send(ByteBuffer out) {
        out.flip();
        boolean belowHighWater = !out.hasRemaining() || socket.write(out);
        out.clear();
        return belowHighWater;
    }

    private void runTasks() {
        taskRunning = true;
        socket.suspendReads();
        Runnable work = () -> {
            try {
                Runnable task;
                while ((task = engine.getDelegatedTask()) != null) {
                    task.run();
                }
            } finally {
                // Whatever a task threw, the engine reports it at the next wrap or unwrap.
                socket.execute(this::tasksDone);
            }
        };
        try {
            context.taskExecutor().execute(work);
        } catch (RejectedExecutionException e) {
            work.run();
        }
    }

    private void tasksDone() {
        taskRunning = false;
        if (!socket.isOpen()) {
            return;
        }
        if (!suspended) {
            socket.resumeReads();
        }
        guarded(() -> advance(NOTHING, false));
    }

    /**
     * Runs {@code step} from a task of this layer's own: the handler's exception (already logged
     * by the server) closes the connection with it as the cause, as one from a callback does.
     */
    private void guarded(Runnable step) {
        try {
            step.run();
        } catch (RuntimeException | Error e) {
            failure = e;
            closing = true;
            socket.abort();
        }
    }

    private boolean isTls12() {
        return "TLSv1.2".equals(engine.getSession().getProtocol());
    }

    private void handshakeTimedOut() {
        if (!opened && socket.isOpen()) {
            LOG.log(System.Logger.Level.DEBUG, () -> "closing " + socket.remoteAddress() + ": no TLS handshake within "
                    + context.handshakeTimeout());
            failure = new SSLHandshakeException("no TLS handshake within " + context.handshakeTimeout());
            closing = true;
            socket.abort();
        }
    }

    /** Plain text to a TLS server: the context's answer, if it has one, then a close. */
    private void refusePlainText(ByteBuffer in) {
        LOG.log(System.Logger.Level.DEBUG, () -> "closing " + socket.remoteAddress() + ": it sent plain text to a TLS port");
        in.position(in.limit());
        closing = true;
        byte[] answer = context.plaintextAnswer();
        if (answer == null) {
            socket.abort();
        } else {
            socket.write(ByteBuffer.wrap(answer));
            socket.close();
        }
    }

    private void refuse(String what) {
        LOG.log(System.Logger.Level.DEBUG, () -> "closing " + socket.remoteAddress() + ": " + what + " refused");
        failure = new SSLException(what + " refused");
        closing = true;
        socket.abort();
    }

    /** The engine failed (a bad record, an alert, a handshake refused): its alert goes out, then the connection closes. */
    private void fail(SSLException error) {
        LOG.log(System.Logger.Level.DEBUG, () -> "TLS with " + socket.remoteAddress() + " failed: " + error);
        failure = error;
        closing = true;
        if (!socket.isOpen()) {
            return;
        }
        ByteBuffer out = buffers.out.clear();
        try {
            boolean more = true;
            while (more && engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP && out.remaining() >= TlsBuffers.PACKET_SIZE) {
                more = engine.wrap(NOTHING, out).getStatus() == Status.OK;
            }
        } catch (SSLException | RuntimeException alertLost) {
            LOG.log(System.Logger.Level.DEBUG, () -> "no alert sent: " + alertLost);
        }
        send(out);
        outputClosed = true;
        socket.close();
    }

    /**
     * What the handler sees: the socket's connection, with plain bytes. Its counts (output
     * pending, bytes read and written) are the socket's, in encrypted bytes, a few dozen more than
     * the plain ones per record; its activity is the socket connection's, where a connection cap
     * or a drain reads it.
     */
    private final class Plain extends ForwardingConnection {

        @Override
        protected Connection delegate() {
            return socket;
        }

        @Override
        public boolean write(ByteBuffer src) {
            if (outputClosed || closing || !socket.isOpen()) {
                src.position(src.limit());
                return false;
            }
            if (!enter()) {
                deferredOutput = append(deferredOutput, src);
                return true;
            }
            ByteBuffer out = buffers.out.clear();
            boolean belowHighWater = true;
            try {
                while (src.hasRemaining()) {
                    SSLEngineResult result = engine.wrap(src, out);
                    if (result.getStatus() == Status.CLOSED) {
                        src.position(src.limit());
                    } else if (result.getStatus() == Status.BUFFER_OVERFLOW) {
                        belowHighWater &= send(out);
                        if (!socket.isOpen()) {
                            src.position(src.limit());
                        }
                    }
                }
                belowHighWater &= send(out);
            } catch (SSLException e) {
                fail(e);
            } finally {
                exit();
            }
            return belowHighWater;
        }

        /** Read and encrypted: the bytes must pass through the JVM, so no sendfile(2). */
        @Override
        public long sendFile(SendableFile file, long position, long count) {
            if (position < 0 || count < 0) {
                throw new IllegalArgumentException("position and count must be >= 0: " + position + ", " + count);
            }
            if (outputClosed || closing || !socket.isOpen()) {
                return 0;
            }
            if (!enter()) {
                socket.notifyWhenDrained();
                return 0;
            }
            try {
                return sendFileNow(file, position, count);
            } finally {
                exit();
            }
        }

        private long sendFileNow(SendableFile file, long position, long count) {
            ByteBuffer chunk = buffers.file;
            long sent = 0;
            while (sent < count && sent < MAX_FILE_BYTES_PER_CALL && socket.pendingOutputBytes() == 0 && socket.isOpen()) {
                chunk.clear().limit((int) Math.min(chunk.capacity(), count - sent));
                int read;
                try {
                    read = file.read(chunk, position + sent);
                } catch (IOException e) {
                    failure = e;
                    abort();
                    return sent;
                }
                if (read < 0) {
                    failure = new EOFException("the file ended " + (count - sent) + " bytes short of the range sent");
                    abort();
                    return sent;
                }
                write(chunk.flip());
                sent += read;
            }
            if (sent < count) {
                socket.notifyWhenDrained();
            }
            return sent;
        }

        @Override
        public void close() {
            if (!enter()) {
                deferredEnd = this::close;
                return;
            }
            try {
                closeOutput();
                closing = true;
                socket.close();
            } finally {
                exit();
            }
        }

        @Override
        public void abort() {
            closing = true;
            socket.abort();
        }

        @Override
        public void shutdownOutput() {
            if (!enter()) {
                deferredEnd = this::shutdownOutput;
                return;
            }
            try {
                closeOutput();
                socket.shutdownOutput();
            } finally {
                exit();
            }
        }

        /** Sends what other threads wrote meanwhile, then close_notify, so that the peer can tell the end from a truncation. */
        private void closeOutput() {
            if (deferredOutput != null) {
                ByteBuffer output = deferredOutput.flip();
                deferredOutput = null;
                write(output);
            }
            if (outputClosed || !socket.isOpen()) {
                return;
            }
            outputClosed = true;
            engine.closeOutbound();
            ByteBuffer out = buffers.out.clear();
            try {
                boolean more = true;
                while (more && !engine.isOutboundDone()) {
                    more = engine.wrap(NOTHING, out).getStatus() == Status.OK;
                }
            } catch (SSLException e) {
                LOG.log(System.Logger.Level.DEBUG, () -> "no close_notify sent to " + socket.remoteAddress() + ": " + e);
            }
            send(out);
        }

        @Override
        public void suspendReads() {
            if (!suspended) {
                suspended = true;
                socket.suspendReads();
            }
        }

        @Override
        public void resumeReads() {
            if (!suspended) {
                return;
            }
            suspended = false;
            if (!taskRunning) {
                socket.resumeReads();
            }
            if (kept != null || deferredInput != null || inputDone) {
                socket.execute(TlsHandler.this::redeliver);
            }
        }

        @Override
        public Object attachment() {
            return attachment;
        }

        @Override
        public void attach(Object attachment) {
            TlsHandler.this.attachment = attachment;
        }

        @Override
        public SSLSession tlsSession() {
            return opened ? engine.getSession() : null;
        }

        @Override
        public String toString() {
            return "TLS over " + socket;
        }
    }
}
