#define _GNU_SOURCE
#include "jepoll.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

/* The fixed address layout of jepoll.h, as Java reads and writes it. */
struct jepoll_address {
    int32_t family;
    int32_t port;
    uint32_t scope_id;
    uint8_t address[16];
};
_Static_assert(sizeof(struct jepoll_address) == JEPOLL_ADDRESS_SIZE, "address layout");

static int to_sockaddr(int64_t address, struct sockaddr_storage *out, socklen_t *len) {
    struct jepoll_address in;
    memcpy(&in, (const void *) (intptr_t) address, sizeof in);
    memset(out, 0, sizeof *out);
    if (in.port < 0 || in.port > 65535) {
        return -EINVAL;
    }
    if (in.family == 4) {
        struct sockaddr_in *v4 = (struct sockaddr_in *) out;
        v4->sin_family = AF_INET;
        v4->sin_port = htons((uint16_t) in.port);
        memcpy(&v4->sin_addr, in.address, 4);
        *len = sizeof *v4;
        return 0;
    }
    if (in.family == 6) {
        struct sockaddr_in6 *v6 = (struct sockaddr_in6 *) out;
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons((uint16_t) in.port);
        v6->sin6_scope_id = in.scope_id;
        memcpy(&v6->sin6_addr, in.address, 16);
        *len = sizeof *v6;
        return 0;
    }
    return -EAFNOSUPPORT;
}

static int from_sockaddr(const struct sockaddr_storage *in, int64_t address) {
    struct jepoll_address out;
    memset(&out, 0, sizeof out);
    if (in->ss_family == AF_INET) {
        const struct sockaddr_in *v4 = (const struct sockaddr_in *) in;
        out.family = 4;
        out.port = ntohs(v4->sin_port);
        memcpy(out.address, &v4->sin_addr, 4);
    } else if (in->ss_family == AF_INET6) {
        const struct sockaddr_in6 *v6 = (const struct sockaddr_in6 *) in;
        out.family = 6;
        out.port = ntohs(v6->sin6_port);
        out.scope_id = v6->sin6_scope_id;
        memcpy(out.address, &v6->sin6_addr, 16);
    } else {
        return -EAFNOSUPPORT;
    }
    memcpy((void *) (intptr_t) address, &out, sizeof out);
    return 0;
}

_Static_assert(sizeof(((struct sockaddr_un *) 0)->sun_path) == JEPOLL_UNIX_PATH_SIZE, "sun_path size");

/* The len bytes at path as a sockaddr_un: a pathname (no NUL inside) or an abstract name. */
static int to_sockaddr_un(int64_t path, int len, struct sockaddr_un *out, socklen_t *out_len) {
    memset(out, 0, sizeof *out);
    if (len < 1) {
        return -EINVAL;
    }
    const uint8_t *bytes = (const uint8_t *) (intptr_t) path;
    int abstract = bytes[0] == 0;
    if (len > JEPOLL_UNIX_PATH_MAX + abstract) {
        return -ENAMETOOLONG;
    }
    if (!abstract && memchr(bytes, 0, (size_t) len) != NULL) {
        return -EINVAL;
    }
    out->sun_family = AF_UNIX;
    memcpy(out->sun_path, bytes, (size_t) len);
    /* A pathname's length includes its NUL, as glibc's SUN_LEN counts it; an abstract name's
     * is exactly its bytes, since every byte of it is part of the name. */
    *out_len = (socklen_t) (offsetof(struct sockaddr_un, sun_path) + (size_t) len + !abstract);
    return 0;
}

/* A sockaddr_un of len bytes as the kernel returned it, written to path_out: its path's length. */
static int from_sockaddr_un(const struct sockaddr_un *in, socklen_t len, int64_t path_out) {
    if (in->sun_family != AF_UNIX) {
        return -EAFNOSUPPORT;
    }
    size_t offset = offsetof(struct sockaddr_un, sun_path);
    size_t bytes = len > offset ? len - offset : 0;
    if (bytes > JEPOLL_UNIX_PATH_SIZE) {
        bytes = JEPOLL_UNIX_PATH_SIZE;
    }
    if (bytes > 0 && in->sun_path[0] != 0) {
        /* A pathname may come back with its NUL counted, or (a full sun_path) without one. */
        bytes = strnlen(in->sun_path, bytes);
    }
    memcpy((void *) (intptr_t) path_out, in->sun_path, bytes);
    return (int) bytes;
}

int jepoll_socket(int family) {
    int domain = family == 4 ? AF_INET : family == 6 ? AF_INET6 : -1;
    if (domain < 0) {
        return -EAFNOSUPPORT;
    }
    int fd = socket(domain, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP);
    return fd < 0 ? -errno : fd;
}

int jepoll_bind(int fd, int64_t address) {
    struct sockaddr_storage sa;
    socklen_t len;
    int rc = to_sockaddr(address, &sa, &len);
    if (rc < 0) {
        return rc;
    }
    return bind(fd, (struct sockaddr *) &sa, len) < 0 ? -errno : 0;
}

int jepoll_listen(int fd, int backlog) {
    return listen(fd, backlog) < 0 ? -errno : 0;
}

int jepoll_accept(int listen_fd, int64_t address_out) {
    struct sockaddr_storage sa;
    socklen_t len = sizeof sa;
    struct sockaddr *peer = address_out != 0 ? (struct sockaddr *) &sa : NULL;
    int fd;
    do {
        fd = accept4(listen_fd, peer, peer ? &len : NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    } while (fd < 0 && errno == EINTR);
    if (fd < 0) {
        return -errno;
    }
    if (peer != NULL && from_sockaddr(&sa, address_out) < 0) {
        memset((void *) (intptr_t) address_out, 0, JEPOLL_ADDRESS_SIZE);
    }
    return fd;
}

int jepoll_accept_batch(int listen_fd, int64_t fds_out, int max) {
    int32_t *fds = (int32_t *) (intptr_t) fds_out;
    int count = 0;
    while (count < max) {
        int fd = jepoll_accept(listen_fd, 0);
        if (fd < 0) {
            if (count > 0 || fd == -EAGAIN) {
                break;
            }
            return fd;
        }
        fds[count++] = fd;
    }
    return count;
}

int jepoll_connect(int fd, int64_t address) {
    struct sockaddr_storage sa;
    socklen_t len;
    int rc = to_sockaddr(address, &sa, &len);
    if (rc < 0) {
        return rc;
    }
    if (connect(fd, (struct sockaddr *) &sa, len) < 0) {
        return errno == EINTR ? -EINPROGRESS : -errno;
    }
    return 0;
}

static int option_level_name(int option, int *level, int *name) {
    switch (option) {
    case JEPOLL_SO_REUSEADDR: *level = SOL_SOCKET; *name = SO_REUSEADDR; return 0;
    case JEPOLL_SO_REUSEPORT: *level = SOL_SOCKET; *name = SO_REUSEPORT; return 0;
    case JEPOLL_SO_KEEPALIVE: *level = SOL_SOCKET; *name = SO_KEEPALIVE; return 0;
    case JEPOLL_SO_RCVBUF: *level = SOL_SOCKET; *name = SO_RCVBUF; return 0;
    case JEPOLL_SO_SNDBUF: *level = SOL_SOCKET; *name = SO_SNDBUF; return 0;
    case JEPOLL_SO_LINGER: *level = SOL_SOCKET; *name = SO_LINGER; return 0;
    case JEPOLL_SO_ERROR: *level = SOL_SOCKET; *name = SO_ERROR; return 0;
    case JEPOLL_TCP_NODELAY: *level = IPPROTO_TCP; *name = TCP_NODELAY; return 0;
    case JEPOLL_TCP_KEEPIDLE: *level = IPPROTO_TCP; *name = TCP_KEEPIDLE; return 0;
    case JEPOLL_TCP_KEEPINTVL: *level = IPPROTO_TCP; *name = TCP_KEEPINTVL; return 0;
    case JEPOLL_TCP_KEEPCNT: *level = IPPROTO_TCP; *name = TCP_KEEPCNT; return 0;
    case JEPOLL_IPV6_V6ONLY: *level = IPPROTO_IPV6; *name = IPV6_V6ONLY; return 0;
    default: return -ENOPROTOOPT;
    }
}

int jepoll_getsockopt(int fd, int option) {
    int level, name;
    int rc = option_level_name(option, &level, &name);
    if (rc < 0) {
        return rc;
    }
    if (option == JEPOLL_SO_LINGER) {
        struct linger linger;
        socklen_t len = sizeof linger;
        if (getsockopt(fd, level, name, &linger, &len) < 0) {
            return -errno;
        }
        return linger.l_onoff ? linger.l_linger : -1;
    }
    int value;
    socklen_t len = sizeof value;
    return getsockopt(fd, level, name, &value, &len) < 0 ? -errno : value;
}

int jepoll_setsockopt(int fd, int option, int value) {
    int level, name;
    int rc = option_level_name(option, &level, &name);
    if (rc < 0) {
        return rc;
    }
    if (option == JEPOLL_SO_ERROR) {
        return -ENOPROTOOPT;
    }
    if (option == JEPOLL_SO_LINGER) {
        struct linger linger = {.l_onoff = value >= 0, .l_linger = value >= 0 ? value : 0};
        return setsockopt(fd, level, name, &linger, sizeof linger) < 0 ? -errno : 0;
    }
    return setsockopt(fd, level, name, &value, sizeof value) < 0 ? -errno : 0;
}

int jepoll_local_address(int fd, int64_t address_out) {
    struct sockaddr_storage sa;
    socklen_t len = sizeof sa;
    if (getsockname(fd, (struct sockaddr *) &sa, &len) < 0) {
        return -errno;
    }
    return from_sockaddr(&sa, address_out);
}

int jepoll_peer_address(int fd, int64_t address_out) {
    struct sockaddr_storage sa;
    socklen_t len = sizeof sa;
    if (getpeername(fd, (struct sockaddr *) &sa, &len) < 0) {
        return -errno;
    }
    return from_sockaddr(&sa, address_out);
}

int jepoll_unix_socket(void) {
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    return fd < 0 ? -errno : fd;
}

int jepoll_unix_bind(int fd, int64_t path, int len) {
    struct sockaddr_un sa;
    socklen_t sa_len;
    int rc = to_sockaddr_un(path, len, &sa, &sa_len);
    if (rc < 0) {
        return rc;
    }
    return bind(fd, (struct sockaddr *) &sa, sa_len) < 0 ? -errno : 0;
}

int jepoll_unix_connect(int fd, int64_t path, int len) {
    struct sockaddr_un sa;
    socklen_t sa_len;
    int rc = to_sockaddr_un(path, len, &sa, &sa_len);
    if (rc < 0) {
        return rc;
    }
    /* A Unix connect that a signal interrupts has not queued the connection: retrying is correct. */
    do {
        rc = connect(fd, (struct sockaddr *) &sa, sa_len);
    } while (rc < 0 && errno == EINTR);
    return rc < 0 ? -errno : 0;
}

int jepoll_unix_local_path(int fd, int64_t path_out) {
    struct sockaddr_un sa;
    socklen_t len = sizeof sa;
    memset(&sa, 0, sizeof sa);
    if (getsockname(fd, (struct sockaddr *) &sa, &len) < 0) {
        return -errno;
    }
    return from_sockaddr_un(&sa, len, path_out);
}

int jepoll_unix_peer_path(int fd, int64_t path_out) {
    struct sockaddr_un sa;
    socklen_t len = sizeof sa;
    memset(&sa, 0, sizeof sa);
    if (getpeername(fd, (struct sockaddr *) &sa, &len) < 0) {
        return -errno;
    }
    return from_sockaddr_un(&sa, len, path_out);
}
