package io.jepoll.shim;

/**
 * The errno values the loops act on (Linux generic numbering, pinned by a test against the
 * library's own names), and their names and texts for messages.
 */
public final class Errno {

    public static final int ENOENT = 2;
    public static final int EINTR = 4;
    public static final int EBADF = 9;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EEXIST = 17;
    public static final int EISDIR = 21;
    public static final int EINVAL = 22;
    public static final int ENFILE = 23;
    public static final int EMFILE = 24;
    public static final int EPIPE = 32;
    public static final int ENOPROTOOPT = 92;
    public static final int EAFNOSUPPORT = 97;
    public static final int EADDRINUSE = 98;
    public static final int EADDRNOTAVAIL = 99;
    public static final int ECONNABORTED = 103;
    public static final int ECONNRESET = 104;
    public static final int ENOBUFS = 105;
    public static final int ENOTCONN = 107;
    public static final int ETIMEDOUT = 110;
    public static final int ECONNREFUSED = 111;
    public static final int EINPROGRESS = 115;

    private Errno() {
    }

    /** {@code EBADF (Bad file descriptor)}, or {@code errno 9} when the library cannot say. */
    public static String describe(int errno) {
        if (!Shim.isAvailable()) {
            return "errno " + errno;
        }
        String name = Shim.errnoName(errno);
        String text = Shim.errnoText(errno);
        if (name == null) {
            return "errno " + errno;
        }
        return text == null ? name : name + " (" + text + ")";
    }
}
