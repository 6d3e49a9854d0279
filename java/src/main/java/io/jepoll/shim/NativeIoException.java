package io.jepoll.shim;

import java.io.IOException;

/**
 * A failed native call: names the call with the arguments that matter, the errno name and its
 * text, e.g. {@code epoll_ctl(ADD, fd=12): EEXIST (File exists)}.
 */
public class NativeIoException extends IOException {

    private static final long serialVersionUID = 1L;

    private final int errno;

    /**
     * @param call the call as it should read in the message, e.g. {@code "close(fd=7)"}
     * @param result the call's negative result, {@code -errno}
     */
    public NativeIoException(String call, int result) {
        super(call + ": " + Errno.describe(-result));
        this.errno = -result;
    }

    /** The positive errno value. */
    public int errno() {
        return errno;
    }
}
