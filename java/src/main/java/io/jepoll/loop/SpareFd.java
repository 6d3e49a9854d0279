package io.jepoll.loop;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * One file descriptor held in reserve for the process, so that a loop that has run out of
 * fds can still do the little it must: logging, or loading a class, may need to open a file.
 */
final class SpareFd {

    private static FileChannel spare;

    private SpareFd() {
    }

    /** Takes the spare fd, if it is not held yet; call while the process still has fds. */
    static synchronized void reserve() {
        if (spare == null) {
            spare = open();
        }
    }

    /** Runs {@code action} with the spare fd released, then takes it back if it can. */
    static synchronized void whileReleased(Runnable action) {
        close();
        try {
            action.run();
        } finally {
            spare = open();
        }
    }

    private static void close() {
        if (spare != null) {
            try {
                spare.close();
            } catch (IOException ignored) {
                // It is released either way.
            }
            spare = null;
        }
    }

    private static FileChannel open() {
        try {
            return FileChannel.open(Path.of("/dev/null"));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
