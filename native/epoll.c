#define _GNU_SOURCE
#include "jepoll.h"

#include <errno.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

_Static_assert(JEPOLL_EPOLLIN == EPOLLIN && JEPOLL_EPOLLPRI == EPOLLPRI
                   && JEPOLL_EPOLLOUT == EPOLLOUT && JEPOLL_EPOLLERR == EPOLLERR
                   && JEPOLL_EPOLLHUP == EPOLLHUP && JEPOLL_EPOLLRDHUP == EPOLLRDHUP
                   && JEPOLL_EPOLLEXCLUSIVE == EPOLLEXCLUSIVE
                   && JEPOLL_EPOLLONESHOT == EPOLLONESHOT && JEPOLL_EPOLLET == EPOLLET,
               "jepoll.h epoll bits differ from the kernel's");
_Static_assert(JEPOLL_EPOLL_CTL_ADD == EPOLL_CTL_ADD && JEPOLL_EPOLL_CTL_DEL == EPOLL_CTL_DEL
                   && JEPOLL_EPOLL_CTL_MOD == EPOLL_CTL_MOD,
               "jepoll.h epoll_ctl operations differ from the kernel's");

/* The kernel's epoll_data carries the fd in the low half and the tag in the high half. */
static uint64_t pack(int fd, int32_t tag) {
    return ((uint64_t) (uint32_t) tag << 32) | (uint32_t) fd;
}

int jepoll_abi_version(void) {
    return JEPOLL_ABI_VERSION;
}

int jepoll_epoll_create(void) {
    int fd = epoll_create1(EPOLL_CLOEXEC);
    return fd < 0 ? -errno : fd;
}

int jepoll_epoll_ctl(int epfd, int op, int fd, uint32_t events, int32_t tag) {
    struct epoll_event event = {.events = events, .data.u64 = pack(fd, tag)};
    return epoll_ctl(epfd, op, fd, &event) < 0 ? -errno : 0;
}

int jepoll_epoll_wait(int epfd, int64_t events_out, int max_events, int timeout_ms) {
    if (max_events <= 0 || max_events > JEPOLL_MAX_EVENTS) {
        return -EINVAL;
    }
    struct epoll_event ready[JEPOLL_MAX_EVENTS];
    int n = epoll_wait(epfd, ready, max_events, timeout_ms);
    if (n < 0) {
        return errno == EINTR ? 0 : -errno;
    }
    unsigned char *out = (unsigned char *) (intptr_t) events_out;
    for (int i = 0; i < n; i++) {
        int32_t record[3] = {
            (int32_t) (uint32_t) ready[i].data.u64,
            (int32_t) ready[i].events,
            (int32_t) (uint32_t) (ready[i].data.u64 >> 32),
        };
        memcpy(out + (size_t) i * JEPOLL_EVENT_SIZE, record, sizeof record);
    }
    return n;
}

int jepoll_eventfd(void) {
    int fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    return fd < 0 ? -errno : fd;
}

int64_t jepoll_eventfd_read(int fd) {
    uint64_t value;
    ssize_t n;
    do {
        n = read(fd, &value, sizeof value);
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
        return -errno;
    }
    return n == sizeof value ? (int64_t) value : -EIO;
}

int jepoll_eventfd_write(int fd, int64_t value) {
    uint64_t v = (uint64_t) value;
    ssize_t n;
    do {
        n = write(fd, &v, sizeof v);
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
        return -errno;
    }
    return n == sizeof v ? 0 : -EIO;
}
