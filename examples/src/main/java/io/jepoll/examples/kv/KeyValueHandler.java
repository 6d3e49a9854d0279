package io.jepoll.examples.kv;

import io.jepoll.net.Cancellable;
import io.jepoll.net.Connection;
import io.jepoll.net.Handler;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * One connection of the key-value protocol: a command per line ({@code \n}, or {@code \r\n}),
 * a reply line for each.
 *
 * <pre>
 * SET key value   -> OK                (the value is the rest of the line, spaces included)
 * GET key         -> VALUE value | NOT_FOUND
 * DEL key         -> OK | NOT_FOUND
 * QUIT            -> OK, then the server closes
 * anything else   -> ERROR reason
 * </pre>
 *
 * A line longer than the limit, or one left unfinished for longer than the line timeout, gets
 * {@code ERROR} and the connection is closed.
 *
 * <p>jepoll calls this handler one callback at a time, and runs the tasks it schedules between
 * them, never alongside: its fields need no locks and no volatile. The store is shared by every
 * connection on every loop, hence a concurrent map.
 */
final class KeyValueHandler implements Handler {

    private final ConcurrentMap<String, String> store;
    private final int maxLineBytes;
    private final Duration lineTimeout;

    /** Armed while a line has begun and not ended; a peer trickling bytes does not push it back. */
    private Cancellable lineDeadline;

    KeyValueHandler(ConcurrentMap<String, String> store, int maxLineBytes, Duration lineTimeout) {
        this.store = store;
        this.maxLineBytes = maxLineBytes;
        this.lineTimeout = lineTimeout;
    }

    @Override
    public void onData(Connection connection, ByteBuffer in) {
        // Every reply of this read goes out in one write: several commands in one packet cost one syscall.
        ByteBuffer out = connection.scratchBuffer();
        int end;
        while ((end = indexOf(in, (byte) '\n')) >= 0) {
            int length = end - in.position();
            if (length > maxLineBytes) {
                failAndClose(connection, out, "line too long");
                return;
            }
            String line = decode(in, length);
            in.position(end + 1);
            String reply = execute(line);
            if (reply == null) {
                put(connection, out, "OK");
                connection.write(out.flip());
                connection.close();
                return;
            }
            put(connection, out, reply);
        }
        // Unconsumed bytes (a line not yet ended) come back, with what follows, in the next call.
        if (in.remaining() > maxLineBytes) {
            failAndClose(connection, out, "line too long");
            return;
        }
        if (out.position() > 0) {
            connection.write(out.flip());
        }
        watchUnfinishedLine(connection, in.hasRemaining());
    }

    @Override
    public void onClose(Connection connection, Throwable cause) {
        watchUnfinishedLine(connection, false);
    }

    /** The reply to one command line, or null for QUIT. */
    private String execute(String line) {
        if (line.endsWith("\r")) {
            line = line.substring(0, line.length() - 1);
        }
        String[] words = line.split(" ", 3);
        String command = words[0];
        switch (command) {
            case "SET":
                if (words.length < 3 || words[1].isEmpty()) {
                    return "ERROR usage: SET <key> <value>";
                }
                store.put(words[1], words[2]);
                return "OK";
            case "GET":
                if (words.length != 2 || words[1].isEmpty()) {
                    return "ERROR usage: GET <key>";
                }
                String value = store.get(words[1]);
                return value == null ? "NOT_FOUND" : "VALUE " + value;
            case "DEL":
                if (words.length != 2 || words[1].isEmpty()) {
                    return "ERROR usage: DEL <key>";
                }
                return store.remove(words[1]) != null ? "OK" : "NOT_FOUND";
            case "QUIT":
                return words.length == 1 ? null : "ERROR usage: QUIT";
            case "":
                return "ERROR empty line";
            default:
                return "ERROR unknown command " + command;
        }
    }

    private void watchUnfinishedLine(Connection connection, boolean unfinished) {
        if (unfinished && lineDeadline == null) {
            lineDeadline = connection.schedule(() -> {
                lineDeadline = null;
                failAndClose(connection, connection.scratchBuffer(), "line timeout");
            }, lineTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } else if (!unfinished && lineDeadline != null) {
            lineDeadline.cancel();
            lineDeadline = null;
        }
    }

    /** Sends what is already answered, then the error; the rest of the input is not read. */
    private static void failAndClose(Connection connection, ByteBuffer out, String reason) {
        put(connection, out, "ERROR " + reason);
        connection.write(out.flip());
        connection.close();
    }

    /** Appends a reply line to {@code out}, first writing out what it holds when there is no room. */
    private static void put(Connection connection, ByteBuffer out, String reply) {
        byte[] bytes = (reply + "\n").getBytes(StandardCharsets.UTF_8);
        if (out.remaining() < bytes.length) {
            connection.write(out.flip());
            out.clear();
        }
        if (out.remaining() < bytes.length) {
            connection.write(ByteBuffer.wrap(bytes));
        } else {
            out.put(bytes);
        }
    }

    private static int indexOf(ByteBuffer in, byte wanted) {
        for (int i = in.position(); i < in.limit(); i++) {
            if (in.get(i) == wanted) {
                return i;
            }
        }
        return -1;
    }

    private static String decode(ByteBuffer in, int length) {
        byte[] bytes = new byte[length];
        in.get(in.position(), bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
