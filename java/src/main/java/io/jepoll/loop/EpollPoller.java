package io.jepoll.loop;

import io.jepoll.shim.Epoll;
import io.jepoll.shim.NativeIoException;
import io.jepoll.shim.Shim;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A poller on one epoll fd, woken through an eventfd. Each socket is registered level- or
 * edge-triggered; an edge-triggered one is registered once for everything and never modified.
 *
 * <p>Sockets are found by fd in a table. Each registration carries a fresh tag that comes back
 * with its events (the high half of epoll_data): an event for an fd closed earlier in the same
 * batch is dropped even when the kernel has already handed that fd number to a new socket. No
 * EPOLL_CTL_DEL before close: nothing dups the fds, so close removes them from the set.
 */
final class EpollPoller implements Poller {

    private static final int EVENTS_PER_WAIT = 256;

    private final LoopCounters counters;
    private final Epoll epoll;
    private final int wakeFd;
    private final Object wakeLock = new Object();
    private boolean wakeFdClosed;
    private Pollable[] targets = new Pollable[256];
    private int[] tags = new int[256];
    private int registered;
    private int lastTag;

    EpollPoller(LoopCounters counters) throws NativeIoException {
        this.counters = counters;
        this.epoll = Epoll.create(EVENTS_PER_WAIT);
        this.wakeFd = Shim.eventfd();
        if (wakeFd < 0) {
            closeEpoll();
            throw new NativeIoException("eventfd", wakeFd);
        }
        try {
            epoll.add(wakeFd, Shim.EPOLLIN, 0);
        } catch (NativeIoException e) {
            Shim.close(wakeFd);
            closeEpoll();
            throw e;
        }
    }

    /** Watches {@code fd} for {@code interest} ({@link Readiness} bits); its events go to {@code target}. */
    void register(int fd, int interest, boolean edgeTriggered, Pollable target) throws NativeIoException {
        int tag = ++lastTag;
        counters.countNative(Call.CTL);
        epoll.add(fd, edgeTriggered ? toEpoll(interest) | Shim.EPOLLET : toEpoll(interest), tag);
        if (fd >= targets.length) {
            int size = Math.max(fd + 1, targets.length * 2);
            targets = Arrays.copyOf(targets, size);
            tags = Arrays.copyOf(tags, size);
        }
        targets[fd] = target;
        tags[fd] = tag;
        registered++;
    }

    /** Changes a level-triggered registration. */
    void modify(int fd, int interest) throws NativeIoException {
        counters.countNative(Call.CTL);
        epoll.modify(fd, toEpoll(interest), tags[fd]);
    }

    /** Forgets {@code fd}, which its owner closes next. */
    void deregister(int fd) {
        targets[fd] = null;
        registered--;
    }

    @Override
    public int poll(int timeoutMillis, Sink sink) throws NativeIoException {
        counters.countNative(Call.WAIT);
        int n = epoll.poll(timeoutMillis);
        for (int i = 0; i < n; i++) {
            int fd = epoll.fd(i);
            if (fd == wakeFd) {
                counters.countNative(Call.WAKEUP_READ);
                Shim.eventfdRead(wakeFd);
                continue;
            }
            Pollable target = fd < targets.length ? targets[fd] : null;
            if (target != null && tags[fd] == epoll.tag(i)) {
                sink.ready(target, toReadiness(epoll.events(i)));
            }
        }
        return n;
    }

    @Override
    public void wakeUp() {
        synchronized (wakeLock) {
            if (!wakeFdClosed) {
                Shim.eventfdWrite(wakeFd, 1);
            }
        }
    }

    @Override
    public int registered() {
        return registered;
    }

    @Override
    public List<Pollable> targets() {
        List<Pollable> all = new ArrayList<>(registered);
        for (Pollable target : targets) {
            if (target != null) {
                all.add(target);
            }
        }
        return all;
    }

    @Override
    public void close() {
        closeEpoll();
        synchronized (wakeLock) {
            wakeFdClosed = true;
            Shim.close(wakeFd);
        }
    }

    private void closeEpoll() {
        try {
            epoll.close();
        } catch (NativeIoException e) {
            EventLoop.log(System.Logger.Level.WARNING, "closing an epoll fd failed", e);
        }
    }

    /** Reads also ask for EPOLLRDHUP, so a half-close is seen even past a short read. */
    private static int toEpoll(int interest) {
        return ((interest & Readiness.READABLE) != 0 ? Shim.EPOLLIN | Shim.EPOLLRDHUP : 0)
                | ((interest & Readiness.WRITABLE) != 0 ? Shim.EPOLLOUT : 0);
    }

    /** EPOLLERR and EPOLLHUP come whatever the interest: both become ERROR. */
    private static int toReadiness(int events) {
        return ((events & Shim.EPOLLIN) != 0 ? Readiness.READABLE : 0)
                | ((events & Shim.EPOLLOUT) != 0 ? Readiness.WRITABLE : 0)
                | ((events & Shim.EPOLLRDHUP) != 0 ? Readiness.PEER_CLOSED : 0)
                | ((events & (Shim.EPOLLERR | Shim.EPOLLHUP)) != 0 ? Readiness.ERROR : 0);
    }
}
