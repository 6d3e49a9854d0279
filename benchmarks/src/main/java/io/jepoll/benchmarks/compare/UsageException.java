package io.jepoll.benchmarks.compare;

/** A command line that cannot run; the message says why, in the words printed to the user. */
final class UsageException extends Exception {

    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
