package io.jepoll.loop;

/**
 * The kinds of system call a loop counts. The epoll loops make each through one shim call;
 * the NIO and blocking loops count the java.nio operation that stands for it.
 */
public enum Call {
    /** epoll_wait, or Selector.select. */
    WAIT,
    /** epoll_ctl, or a change of a SelectionKey's interest set. */
    CTL,
    /** accept4, or ServerSocketChannel.accept. */
    ACCEPT,
    /** read, or a channel's read. */
    READ,
    /** write, or a channel's write of one buffer. */
    WRITE,
    /** writev, or a channel's gathering write. */
    WRITEV,
    /** sendfile, or a FileChannel's transferTo to a connection's channel. */
    SENDFILE,
    /** connect, or SocketChannel.connect. */
    CONNECT,
    /** shutdown, or a channel's shutdownOutput. */
    SHUTDOWN,
    /** close. */
    CLOSE,
    /** Reading the loop's wake-up eventfd. */
    WAKEUP_READ,
    /** Setting socket options and every other set-up call. */
    OTHER
}
