#define _GNU_SOURCE
#include "jepoll.h"

#include <errno.h>
#include <limits.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

_Static_assert(JEPOLL_SHUT_RD == SHUT_RD && JEPOLL_SHUT_WR == SHUT_WR
                   && JEPOLL_SHUT_RDWR == SHUT_RDWR,
               "jepoll.h shutdown modes differ from the kernel's");

#define JEPOLL_IOV_MAX 1024
_Static_assert(JEPOLL_IOV_MAX <= IOV_MAX, "IOV_MAX is smaller than jepoll.h promises");

int jepoll_read(int fd, int64_t buf, int len) {
    ssize_t n;
    do {
        n = read(fd, (void *) (intptr_t) buf, (size_t) len);
    } while (n < 0 && errno == EINTR);
    return n < 0 ? -errno : (int) n;
}

int jepoll_write(int fd, int64_t buf, int len) {
    ssize_t n;
    do {
        n = write(fd, (const void *) (intptr_t) buf, (size_t) len);
    } while (n < 0 && errno == EINTR);
    return n < 0 ? -errno : (int) n;
}

int jepoll_writev(int fd, int64_t iov, int count) {
    if (count <= 0 || count > JEPOLL_IOV_MAX) {
        return -EINVAL;
    }
    const int64_t *pairs = (const int64_t *) (intptr_t) iov;
    struct iovec vec[JEPOLL_IOV_MAX];
    for (int i = 0; i < count; i++) {
        vec[i].iov_base = (void *) (intptr_t) pairs[2 * i];
        vec[i].iov_len = (size_t) pairs[2 * i + 1];
    }
    ssize_t n;
    do {
        n = writev(fd, vec, count);
    } while (n < 0 && errno == EINTR);
    return n < 0 ? -errno : (int) n;
}

int jepoll_shutdown(int fd, int how) {
    return shutdown(fd, how) < 0 ? -errno : 0;
}

int jepoll_close(int fd) {
    if (close(fd) < 0 && errno != EINTR) {
        return -errno;
    }
    return 0;
}
