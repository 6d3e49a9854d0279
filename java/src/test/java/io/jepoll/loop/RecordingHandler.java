package io.jepoll.loop;

import io.jepoll.net.Connection;
import io.jepoll.net.Handler;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A handler that records its callbacks in order ("open", "data:abc", "writable",
 * "inputShutdown", "close:null"), consumes all, some or none of its input, and can be told to
 * throw or act in a callback. Loop thread only, read by a test while the loop is idle.
 */
final class RecordingHandler implements Handler {

    private final List<String> events = new ArrayList<>();
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private int consumePerCall = Integer.MAX_VALUE;
    private boolean closeOnInputShutdown = true;
    private RuntimeException throwOnOpen;
    private RuntimeException throwOnData;
    private Consumer<Connection> onDataAction = c -> { };
    private Consumer<Connection> onWritableAction = c -> { };
    private int closes;
    private Throwable cause;

    /** Consumes at most {@code bytes} of {@code in} per call (0: none); the rest is left for next time. */
    RecordingHandler consume(int bytes) {
        consumePerCall = bytes;
        return this;
    }

    /** Overrides the default onInputShutdown, which closes. */
    RecordingHandler keepOpenOnInputShutdown() {
        closeOnInputShutdown = false;
        return this;
    }

    RecordingHandler throwOnOpen(RuntimeException error) {
        throwOnOpen = error;
        return this;
    }

    RecordingHandler throwOnData(RuntimeException error) {
        throwOnData = error;
        return this;
    }

    /** Runs after each onData has consumed its share. */
    RecordingHandler onData(Consumer<Connection> action) {
        onDataAction = action;
        return this;
    }

    RecordingHandler onWritable(Consumer<Connection> action) {
        onWritableAction = action;
        return this;
    }

    List<String> events() {
        return events;
    }

    /** Every byte consumed, in order. */
    byte[] received() {
        return received.toByteArray();
    }

    int closes() {
        return closes;
    }

    Throwable cause() {
        return cause;
    }

    @Override
    public void onOpen(Connection connection) {
        events.add("open");
        if (throwOnOpen != null) {
            throw throwOnOpen;
        }
    }

    @Override
    public void onData(Connection connection, ByteBuffer in) {
        events.add("data:" + StandardCharsets.ISO_8859_1.decode(in.duplicate()));
        if (throwOnData != null) {
            throw throwOnData;
        }
        int n = Math.min(consumePerCall, in.remaining());
        byte[] taken = new byte[n];
        in.get(taken);
        received.writeBytes(taken);
        onDataAction.accept(connection);
    }

    @Override
    public void onWritable(Connection connection) {
        events.add("writable");
        onWritableAction.accept(connection);
    }

    @Override
    public void onInputShutdown(Connection connection) {
        events.add("inputShutdown");
        if (closeOnInputShutdown) {
            Handler.super.onInputShutdown(connection);
        }
    }

    @Override
    public void onClose(Connection connection, Throwable cause) {
        events.add("close:" + (cause == null ? null : cause.getMessage()));
        closes++;
        this.cause = cause;
    }
}
