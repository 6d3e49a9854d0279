package io.jepoll;

import java.text.MessageFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Collects what jepoll logs at WARNING and above while open. jepoll logs through
 * {@link System.Logger}, which the JDK routes to java.util.logging unless the user plugs in
 * another backend; every class logs under its own name, so the {@code io.jepoll} logger sees it all.
 * A loop logs only what it could not hand to a connection's own close (an exception that escaped
 * a callback, a failed accept), so in a test that only abuses connections this list stays empty.
 */
public final class LoggedWarnings implements AutoCloseable {

    /** Held, or java.util.logging could collect the logger and the handler with it. */
    private final Logger root = Logger.getLogger("io.jepoll");
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                records.add(record);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    private LoggedWarnings() {
        root.addHandler(handler);
    }

    public static LoggedWarnings capture() {
        return new LoggedWarnings();
    }

    /** One line per record: level, logger, message and the thrown exception, for assertion messages. */
    public List<String> lines() {
        return records.stream().map(LoggedWarnings::describe).toList();
    }

    private static String describe(LogRecord record) {
        String message = record.getParameters() == null ? record.getMessage()
                : MessageFormat.format(record.getMessage(), record.getParameters());
        String thrown = record.getThrown() == null ? "" : " <- " + record.getThrown();
        return record.getLevel() + " " + record.getLoggerName() + ": " + message + thrown;
    }

    @Override
    public void close() {
        root.removeHandler(handler);
    }
}
