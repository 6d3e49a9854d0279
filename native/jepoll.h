/*
 * jepoll.h: the whole ABI between the Java binding (io.jepoll.shim.Shim) and the C shim.
 *
 * Every function returns >= 0 on success or -errno on failure, makes at most one system
 * call (jepoll_accept_batch says otherwise) so that callers can count them, and retries
 * EINTR where a retry is correct. Caller memory is passed as an int64_t address: JNA
 * direct mapping keeps primitive arguments on its fast path.
 */
#ifndef JEPOLL_H
#define JEPOLL_H

#include <stdint.h>

#define JEPOLL_API __attribute__((visibility("default")))

/* Bumped whenever a signature, constant or layout below changes. */
#define JEPOLL_ABI_VERSION 3

/* epoll event bits and ctl operations: the kernel's values, the same on every Linux arch. */
#define JEPOLL_EPOLLIN        0x001u
#define JEPOLL_EPOLLPRI       0x002u
#define JEPOLL_EPOLLOUT       0x004u
#define JEPOLL_EPOLLERR       0x008u
#define JEPOLL_EPOLLHUP       0x010u
#define JEPOLL_EPOLLRDHUP     0x2000u
#define JEPOLL_EPOLLEXCLUSIVE (1u << 28)
#define JEPOLL_EPOLLONESHOT   (1u << 30)
#define JEPOLL_EPOLLET        (1u << 31)

#define JEPOLL_EPOLL_CTL_ADD 1
#define JEPOLL_EPOLL_CTL_DEL 2
#define JEPOLL_EPOLL_CTL_MOD 3

/*
 * jepoll_epoll_wait writes each ready event as JEPOLL_EVENT_SIZE bytes, native byte order:
 *   offset 0  int32   fd      as registered with jepoll_epoll_ctl
 *   offset 4  uint32  events  JEPOLL_EPOLL* bits
 *   offset 8  int32   tag     as registered with jepoll_epoll_ctl (e.g. a generation)
 */
#define JEPOLL_EVENT_SIZE  12
#define JEPOLL_MAX_EVENTS  1024

/*
 * A socket address, JEPOLL_ADDRESS_SIZE bytes, native byte order except the address bytes:
 *   offset 0   int32     family    4 (IPv4) or 6 (IPv6)
 *   offset 4   int32     port
 *   offset 8   uint32    scope_id  IPv6 only, else 0
 *   offset 12  uint8[16] address   network order; IPv4 uses the first 4 bytes
 */
#define JEPOLL_ADDRESS_SIZE 28

/*
 * A Unix domain socket's address is its path's bytes and a length, never NUL-terminated:
 * a pathname of 1..JEPOLL_UNIX_PATH_MAX bytes without a NUL (sun_path keeps one byte for the
 * terminating NUL), or an abstract name (Linux): a NUL first, then up to JEPOLL_UNIX_PATH_MAX
 * bytes of any value. Addresses read back fill JEPOLL_UNIX_PATH_SIZE bytes at most.
 */
#define JEPOLL_UNIX_PATH_MAX  107
#define JEPOLL_UNIX_PATH_SIZE 108

/* Socket options, translated here to level and name so Java never sees arch-specific values. */
#define JEPOLL_SO_REUSEADDR   1
#define JEPOLL_SO_REUSEPORT   2
#define JEPOLL_SO_KEEPALIVE   3
#define JEPOLL_SO_RCVBUF      4
#define JEPOLL_SO_SNDBUF      5
#define JEPOLL_SO_LINGER      6   /* < 0 off; >= 0 on, with that many seconds (0: reset on close) */
#define JEPOLL_SO_ERROR       7   /* get only: the pending error as a positive errno, cleared */
#define JEPOLL_TCP_NODELAY    8
#define JEPOLL_TCP_KEEPIDLE   9
#define JEPOLL_TCP_KEEPINTVL  10
#define JEPOLL_TCP_KEEPCNT    11
#define JEPOLL_IPV6_V6ONLY    12

#define JEPOLL_SHUT_RD   0
#define JEPOLL_SHUT_WR   1
#define JEPOLL_SHUT_RDWR 2

/* No system call: the ABI version, and the cheapest possible crossing. */
JEPOLL_API int jepoll_abi_version(void);

/* epoll_create1(EPOLL_CLOEXEC). */
JEPOLL_API int jepoll_epoll_create(void);
/* epoll_ctl; the kernel hands (fd, tag) back with every event. events is ignored for DEL. */
JEPOLL_API int jepoll_epoll_ctl(int epfd, int op, int fd, uint32_t events, int32_t tag);
/* epoll_wait into events_out (max_events <= JEPOLL_MAX_EVENTS records, layout above).
 * EINTR returns 0 rather than retrying, which would restart the timeout. */
JEPOLL_API int jepoll_epoll_wait(int epfd, int64_t events_out, int max_events, int timeout_ms);

/* A TCP socket of family 4 or 6, non-blocking and close-on-exec. */
JEPOLL_API int jepoll_socket(int family);
JEPOLL_API int jepoll_bind(int fd, int64_t address);
JEPOLL_API int jepoll_listen(int fd, int backlog);
/* accept4(SOCK_NONBLOCK | SOCK_CLOEXEC); the peer's address goes to address_out unless 0. */
JEPOLL_API int jepoll_accept(int listen_fd, int64_t address_out);
/* Accepts into fds_out (int32 each) until EAGAIN or max: one accept4 per connection plus the
 * one that found the queue empty. An error after the first connection ends the batch early
 * and returns the count; the next call reports it. */
JEPOLL_API int jepoll_accept_batch(int listen_fd, int64_t fds_out, int max);
/* 0 when connected at once, -EINPROGRESS while the handshake goes on (EPOLLOUT then
 * JEPOLL_SO_ERROR tell the outcome). EINTR is reported as -EINPROGRESS: the kernel goes on
 * connecting, and a retry would fail with EALREADY. */
JEPOLL_API int jepoll_connect(int fd, int64_t address);

/* A Unix domain stream socket (AF_UNIX), non-blocking and close-on-exec. jepoll_listen,
 * jepoll_accept(_batch) and the I/O functions below take it as they take a TCP socket; an
 * accepted one's peer address (jepoll_accept's address_out) reads as family 0: use
 * jepoll_unix_peer_path. TCP options (JEPOLL_TCP_*) fail on it with -EOPNOTSUPP. */
JEPOLL_API int jepoll_unix_socket(void);
/* bind and connect to the len bytes at path (layout above). A len out of range is
 * -ENAMETOOLONG (-EINVAL below 1), a NUL inside a pathname -EINVAL. Unlike TCP, a connect
 * is complete when it returns 0, never -EINPROGRESS; a listener whose backlog is full makes
 * a non-blocking connect fail with -EAGAIN, one that is gone (a stale file) -ECONNREFUSED. */
JEPOLL_API int jepoll_unix_bind(int fd, int64_t path, int len);
JEPOLL_API int jepoll_unix_connect(int fd, int64_t path, int len);
/* getsockname / getpeername of a Unix socket: writes the path's bytes (no NUL; an abstract
 * name starts with its NUL) to the JEPOLL_UNIX_PATH_SIZE bytes at path_out and returns their
 * length, 0 for an unnamed socket (a client that did not bind, usually an accepted
 * connection's peer). A socket of another family is -EAFNOSUPPORT, path_out untouched. */
JEPOLL_API int jepoll_unix_local_path(int fd, int64_t path_out);
JEPOLL_API int jepoll_unix_peer_path(int fd, int64_t path_out);

/* Sockets only (recv, send, sendmsg); a write to a reset peer is -EPIPE, never SIGPIPE.
 * A negative len is -EINVAL. */
JEPOLL_API int jepoll_read(int fd, int64_t buf, int len);
JEPOLL_API int jepoll_write(int fd, int64_t buf, int len);
/* iov: count pairs of int64 (address, length); count <= 1024 (IOV_MAX). A count out of
 * 1..1024, or a negative length (refused by the kernel), is -EINVAL. */
JEPOLL_API int jepoll_writev(int fd, int64_t iov, int count);
JEPOLL_API int jepoll_shutdown(int fd, int how);
/* close(2); EINTR counts as closed because Linux has already released the fd. */
JEPOLL_API int jepoll_close(int fd);

/* Regular files, for sending with jepoll_sendfile; close them with jepoll_close.
 * open(O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY) of the NUL-terminated path at path:
 * O_NONBLOCK so that a fifo cannot block the caller (regular files ignore it). */
JEPOLL_API int jepoll_open_file(int64_t path);
/* fstat: the size of a regular file; -EISDIR for a directory, -EINVAL for anything else that is
 * not a regular file (fifo, socket, device). */
JEPOLL_API int64_t jepoll_file_size(int fd);
/* pread of up to len bytes at offset, without moving the file's own position: bytes read, 0 at
 * the end of the file. A negative len or offset is -EINVAL. */
JEPOLL_API int jepoll_pread(int fd, int64_t buf, int len, int64_t offset);
/* One sendfile(2) of up to count bytes of in_fd from offset to the socket out_fd: bytes sent,
 * 0 when offset is at or past the end of the file, -EAGAIN when the socket takes nothing now.
 * offset is passed by value and in_fd's own position never moves: the caller keeps the
 * position. The kernel sends at most 0x7ffff000 bytes per call. A negative offset or count is
 * -EINVAL. Unlike jepoll_write, a send to a reset peer raises SIGPIPE besides returning -EPIPE
 * (sendfile has no MSG_NOSIGNAL); the JVM ignores SIGPIPE, so Java sees only -EPIPE. */
JEPOLL_API int64_t jepoll_sendfile(int out_fd, int in_fd, int64_t offset, int64_t count);

/* eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC): a wake-up channel for an epoll loop. */
JEPOLL_API int jepoll_eventfd(void);
/* Reads and resets the counter: its value (>= 1), or -EAGAIN when it is zero. */
JEPOLL_API int64_t jepoll_eventfd_read(int fd);
JEPOLL_API int jepoll_eventfd_write(int fd, int64_t value);

/* Integer socket options (JEPOLL_SO_*, JEPOLL_TCP_*, JEPOLL_IPV6_*); unknown: -ENOPROTOOPT. */
JEPOLL_API int jepoll_getsockopt(int fd, int option);
JEPOLL_API int jepoll_setsockopt(int fd, int option, int value);
/* getsockname / getpeername into JEPOLL_ADDRESS_SIZE bytes at address_out. */
JEPOLL_API int jepoll_local_address(int fd, int64_t address_out);
JEPOLL_API int jepoll_peer_address(int fd, int64_t address_out);

/* "EAGAIN" and "Resource temporarily unavailable" for 11; NULL for an unknown number. */
JEPOLL_API const char *jepoll_errno_name(int errnum);
JEPOLL_API const char *jepoll_errno_text(int errnum);

#endif
