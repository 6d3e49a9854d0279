#define _GNU_SOURCE
#include "jepoll.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

_Static_assert(sizeof(off_t) == sizeof(int64_t), "sendfile's offset must hold any file position");

/*
 * O_NONBLOCK so that a fifo opens at once instead of waiting for a writer (it is then refused
 * by jepoll_file_size); reads of a regular file ignore the flag, and so does sendfile, which
 * takes O_NONBLOCK from its output socket only.
 */
int jepoll_open_file(int64_t path) {
    int fd;
    do {
        fd = open((const char *) (intptr_t) path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    } while (fd < 0 && errno == EINTR);
    return fd < 0 ? -errno : fd;
}

/*
 * fstat through syscall(2): glibc's own fstat symbol is from 2.33 (before, fstat was inline
 * around __fxstat, which newer glibc no longer lets programs link), and the library must load
 * on 2.17. On x86-64 and aarch64 the kernel fills glibc's struct stat as it is laid out.
 */
int64_t jepoll_file_size(int fd) {
    struct stat status;
    if (syscall(SYS_fstat, fd, &status) < 0) {
        return -errno;
    }
    if (S_ISDIR(status.st_mode)) {
        return -EISDIR;
    }
    if (!S_ISREG(status.st_mode)) {
        return -EINVAL;
    }
    return (int64_t) status.st_size;
}

int jepoll_pread(int fd, int64_t buf, int len, int64_t offset) {
    if (len < 0 || offset < 0) {
        return -EINVAL;
    }
    ssize_t n;
    do {
        n = pread(fd, (void *) (intptr_t) buf, (size_t) len, (off_t) offset);
    } while (n < 0 && errno == EINTR);
    return n < 0 ? -errno : (int) n;
}

/* The offset is a copy: sendfile advances it, and the caller keeps its own position. */
int64_t jepoll_sendfile(int out_fd, int in_fd, int64_t offset, int64_t count) {
    if (offset < 0 || count < 0) {
        return -EINVAL;
    }
    off_t position = (off_t) offset;
    ssize_t n;
    do {
        n = sendfile(out_fd, in_fd, &position, (size_t) count);
    } while (n < 0 && errno == EINTR);
    return n < 0 ? -errno : (int64_t) n;
}
