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
    ACCEPT,
    READ,
    WRITE,
    WRITEV,
    CONNECT,
    SHUTDOWN,
    CLOSE,
    /** Reading the loop's wake-up eventfd. */
    WAKEUP_READ,
    /** Setting socket options and every other set-up call. */
    OTHER
}
