/*
 * TCP sockets over loopback (127.0.0.1 and ::1) through the shim. Every wait is bounded
 * by WAIT_MS; on loopback each one ends within microseconds.
 */
#define _GNU_SOURCE
#include "check.h"
#include "jepoll.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum { WAIT_MS = 2000, BACKLOG = 16 };

/* jepoll.h's address layout, built here independently of the shim's own definition. */
struct address {
    int32_t family;
    int32_t port;
    uint32_t scope_id;
    uint8_t address[16];
};
_Static_assert(sizeof(struct address) == JEPOLL_ADDRESS_SIZE, "address size");
_Static_assert(offsetof(struct address, port) == 4, "port offset");
_Static_assert(offsetof(struct address, scope_id) == 8, "scope_id offset");
_Static_assert(offsetof(struct address, address) == 12, "address offset");

/* The pieces of one accepted loopback connection. */
struct connection {
    int listener, client, server;
    struct address listening, accepted_peer;
};

static int64_t address_of(const void *pointer) {
    return (int64_t) (intptr_t) pointer;
}

static struct address loopback(int family, int port) {
    struct address address = {.family = family, .port = port};
    if (family == 4) {
        memcpy(address.address, (const uint8_t[]) {127, 0, 0, 1}, 4);
    } else {
        address.address[15] = 1;
    }
    return address;
}

static int same_address(const struct address *a, const struct address *b) {
    return memcmp(a, b, sizeof *a) == 0;
}

/* The events reported for fd within WAIT_MS, through a throwaway epoll; 0 on timeout. */
static uint32_t wait_for(int fd, uint32_t events) {
    int epfd = jepoll_epoll_create();
    CHECK(epfd >= 0);
    CHECK_EQ(jepoll_epoll_ctl(epfd, JEPOLL_EPOLL_CTL_ADD, fd, events, 0), 0);
    unsigned char record[JEPOLL_EVENT_SIZE];
    uint32_t reported = 0;
    if (jepoll_epoll_wait(epfd, address_of(record), 1, WAIT_MS) == 1) {
        memcpy(&reported, record + 4, sizeof reported);
    }
    CHECK_EQ(jepoll_close(epfd), 0);
    return reported;
}

static void close_fds(int count, const int *fds) {
    for (int i = 0; i < count; i++) {
        CHECK_EQ(jepoll_close(fds[i]), 0);
    }
}

static int open_socket(int family) {
    int fd = jepoll_socket(family);
    CHECK(fd >= 0);
    return fd;
}

/* Listens on the loopback address of family, port 0; *bound gets the port the kernel chose. */
static int open_listener(int family, struct address *bound) {
    int fd = open_socket(family);
    struct address any_port = loopback(family, 0);
    CHECK_EQ(jepoll_setsockopt(fd, JEPOLL_SO_REUSEADDR, 1), 0);
    CHECK_EQ(jepoll_bind(fd, address_of(&any_port)), 0);
    CHECK_EQ(jepoll_listen(fd, BACKLOG), 0);
    CHECK_EQ(jepoll_local_address(fd, address_of(bound)), 0);
    return fd;
}

static int open_client(const struct address *server) {
    int fd = open_socket(server->family);
    int rc = jepoll_connect(fd, address_of(server));
    CHECK(rc == 0 || rc == -EINPROGRESS);
    return fd;
}

static int accept_one(int listener, struct address *peer) {
    CHECK(wait_for(listener, JEPOLL_EPOLLIN) & JEPOLL_EPOLLIN);
    int fd = jepoll_accept(listener, address_of(peer));
    CHECK(fd >= 0);
    return fd;
}

static void open_connection(int family, struct connection *c) {
    c->listener = open_listener(family, &c->listening);
    c->client = open_client(&c->listening);
    c->server = accept_one(c->listener, &c->accepted_peer);
    CHECK(wait_for(c->client, JEPOLL_EPOLLOUT) & JEPOLL_EPOLLOUT);
}

static void close_connection(const struct connection *c) {
    close_fds(3, (int[]) {c->server, c->client, c->listener});
}

/* Loopback may hand over the bytes in more than one piece. */
static int read_exactly(int fd, char *buffer, int length) {
    int total = 0;
    while (total < length) {
        int n = jepoll_read(fd, address_of(buffer + total), length - total);
        if (n == -EAGAIN && (wait_for(fd, JEPOLL_EPOLLIN) & JEPOLL_EPOLLIN)) {
            continue;
        }
        if (n <= 0) {
            break;
        }
        total += n;
    }
    return total;
}

/* The accept queue length of a listener on port, as /proc/net/tcp{,6} shows it (rx_queue of
 * the LISTEN line); -1 if there is none. */
static long proc_accept_queue(int family, int port) {
    FILE *table = fopen(family == 4 ? "/proc/net/tcp" : "/proc/net/tcp6", "r");
    if (table == NULL) {
        return -1;
    }
    enum { TCP_LISTEN = 0x0A };
    long queued = -1;
    char line[256];
    while (queued < 0 && fgets(line, sizeof line, table) != NULL) {
        unsigned local_port, state, rx_queue;
        if (sscanf(line, " %*d: %*[0-9A-Fa-f]:%X %*[0-9A-Fa-f]:%*X %X %*X:%X",
                   &local_port, &state, &rx_queue) == 3
            && (int) local_port == port && state == TCP_LISTEN) {
            queued = rx_queue;
        }
    }
    fclose(table);
    return queued;
}

/* A listener's tcpi_unacked is its accept queue length. qemu-user passes TCP options on as
 * ints, so under emulation TCP_INFO comes back cut short: then the kernel's socket table says. */
static long accept_queue(int listener, const struct address *listening) {
    struct tcp_info info;
    socklen_t size = sizeof info;
    if (getsockopt(listener, IPPROTO_TCP, TCP_INFO, &info, &size) < 0) {
        return -1;
    }
    if (size >= offsetof(struct tcp_info, tcpi_unacked) + sizeof info.tcpi_unacked) {
        return info.tcpi_unacked;
    }
    return proc_accept_queue(listening->family, listening->port);
}

/* Waits on the listener's accept queue rather than on the clients, because a client can see
 * its handshake done before the server queues it. */
static int wait_for_accept_queue(int listener, const struct address *listening, long length) {
    for (int waited_ms = 0; waited_ms < WAIT_MS; waited_ms++) {
        long queued = accept_queue(listener, listening);
        if (queued < 0) {
            return 0;
        }
        if (queued >= length) {
            return 1;
        }
        nanosleep(&(struct timespec) {.tv_nsec = 1000 * 1000}, NULL);
    }
    return 0;
}

static int ipv6_unavailable(void) {
    int fd = jepoll_socket(6);
    if (fd < 0) {
        return fd == -EAFNOSUPPORT;
    }
    struct address any_port = loopback(6, 0);
    int rc = jepoll_bind(fd, address_of(&any_port));
    jepoll_close(fd);
    return rc == -EAFNOSUPPORT || rc == -EADDRNOTAVAIL;
}

static int is_nonblocking_and_cloexec(int fd) {
    int status_flags = fcntl(fd, F_GETFL), fd_flags = fcntl(fd, F_GETFD);
    return status_flags >= 0 && (status_flags & O_NONBLOCK) && fd_flags >= 0
           && (fd_flags & FD_CLOEXEC);
}

static void socket_and_accepted_fds_are_nonblocking_and_cloexec(void) {
    struct connection c;
    open_connection(4, &c);
    CHECK(is_nonblocking_and_cloexec(c.listener));
    CHECK(is_nonblocking_and_cloexec(c.client));
    CHECK(is_nonblocking_and_cloexec(c.server));
    close_connection(&c);
}

static void connect_and_accept_report_addresses(int family) {
    struct connection c;
    open_connection(family, &c);
    CHECK(c.listening.port > 0);
    struct address expected_listening = loopback(family, c.listening.port);
    CHECK(same_address(&c.listening, &expected_listening));

    struct address client_local, client_peer, server_peer;
    CHECK_EQ(jepoll_local_address(c.client, address_of(&client_local)), 0);
    struct address expected_peer = loopback(family, client_local.port);
    CHECK(same_address(&c.accepted_peer, &expected_peer));
    CHECK_EQ(jepoll_peer_address(c.server, address_of(&server_peer)), 0);
    CHECK(same_address(&server_peer, &c.accepted_peer));
    CHECK_EQ(jepoll_peer_address(c.client, address_of(&client_peer)), 0);
    CHECK(same_address(&client_peer, &c.listening));
    close_connection(&c);
}

static void ipv4_connect_and_accept_report_addresses(void) {
    connect_and_accept_report_addresses(4);
}

static void ipv6_connect_and_accept_report_addresses(void) {
    if (ipv6_unavailable()) {
        check_skip("no IPv6 loopback here");
        return;
    }
    connect_and_accept_report_addresses(6);
}

static void write_and_read_move_bytes_exactly(void) {
    struct connection c;
    open_connection(4, &c);
    const char sent[] = "hello, jepoll";
    char received[sizeof sent] = {0};
    CHECK_EQ(jepoll_write(c.client, address_of(sent), (int) sizeof sent), sizeof sent);
    CHECK_EQ(read_exactly(c.server, received, (int) sizeof received), sizeof sent);
    CHECK(memcmp(received, sent, sizeof sent) == 0);
    close_connection(&c);
}

static void writev_sends_three_segments_in_order(void) {
    struct connection c;
    open_connection(4, &c);
    const char *segments[3] = {"HTTP/1.1 200 OK\r\n", "Content-Length: 5\r\n\r\n", "hello"};
    const char expected[] = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";
    int64_t iov[6];
    for (int i = 0; i < 3; i++) {
        iov[2 * i] = address_of(segments[i]);
        iov[2 * i + 1] = (int64_t) strlen(segments[i]);
    }
    int length = (int) strlen(expected);
    CHECK_EQ(jepoll_writev(c.server, address_of(iov), 3), length);

    char received[sizeof expected] = {0};
    CHECK_EQ(read_exactly(c.client, received, length), length);
    CHECK(memcmp(received, expected, (size_t) length) == 0);
    close_connection(&c);
}

/* A negative length used to reach recv and send as a size_t near SIZE_MAX, which the kernel
 * clamps to INT_MAX: a read overwrote whatever followed the buffer, up to all that was queued,
 * and a write sent whatever followed it to the peer (about 100 KiB from a 16-byte buffer). */
static void negative_length_is_einval_and_moves_nothing(void) {
    struct connection c;
    open_connection(4, &c);
    char sent[64];
    memset(sent, 'x', sizeof sent);
    CHECK_EQ(jepoll_write(c.client, address_of(sent), -1), -EINVAL);
    CHECK_EQ(jepoll_write(c.client, address_of(sent), INT32_MIN), -EINVAL);
    CHECK_EQ(jepoll_write(c.client, address_of(sent), (int) sizeof sent), sizeof sent);
    CHECK(wait_for(c.server, JEPOLL_EPOLLIN) & JEPOLL_EPOLLIN);

    /* Room for all 64 queued bytes, so that a read taking them shows in the canary. */
    unsigned char received[sizeof sent];
    memset(received, 0xA5, sizeof received);
    CHECK_EQ(jepoll_read(c.server, address_of(received), -1), -EINVAL);
    CHECK_EQ(jepoll_read(c.server, address_of(received), INT32_MIN), -EINVAL);
    int overwritten = 0;
    for (size_t i = 0; i < sizeof received; i++) {
        overwritten += received[i] != 0xA5;
    }
    CHECK_EQ(overwritten, 0);
    CHECK_EQ(read_exactly(c.server, (char *) received, (int) sizeof received), sizeof sent);
    CHECK(memcmp(received, sent, sizeof sent) == 0);
    CHECK_EQ(jepoll_read(c.server, address_of(received), 1), -EAGAIN);
    close_connection(&c);
}

static void shutdown_write_gives_peer_eof(void) {
    struct connection c;
    open_connection(4, &c);
    CHECK_EQ(jepoll_shutdown(c.client, JEPOLL_SHUT_WR), 0);
    uint32_t events = wait_for(c.server, JEPOLL_EPOLLIN | JEPOLL_EPOLLRDHUP);
    CHECK_EQ(events, JEPOLL_EPOLLIN | JEPOLL_EPOLLRDHUP);
    char byte;
    CHECK_EQ(jepoll_read(c.server, address_of(&byte), 1), 0);
    close_connection(&c);
}

static void accept_on_empty_queue_is_eagain(void) {
    struct address listening, peer;
    int listener = open_listener(4, &listening);
    CHECK_EQ(jepoll_accept(listener, address_of(&peer)), -EAGAIN);
    CHECK_EQ(jepoll_accept(listener, 0), -EAGAIN);
    close_fds(1, (int[]) {listener});
}

static void accept_batch_takes_all_pending_then_returns_zero(void) {
    struct address listening;
    int listener = open_listener(4, &listening);
    int clients[3];
    for (int i = 0; i < 3; i++) {
        clients[i] = open_client(&listening);
    }
    CHECK(wait_for_accept_queue(listener, &listening, 3));

    int32_t accepted[8];
    int count = jepoll_accept_batch(listener, address_of(accepted), 8);
    CHECK_EQ(count, 3);
    for (int i = 0; i < count; i++) {
        CHECK(accepted[i] >= 0);
    }
    CHECK_EQ(jepoll_accept_batch(listener, address_of(accepted), 8), 0);
    close_fds(count, accepted);
    close_fds(3, clients);
    close_fds(1, (int[]) {listener});
}

/* Java sizes fds_out for max fds: never more, and nothing at all for max <= 0. */
static void accept_batch_fills_at_most_max(void) {
    struct address listening;
    int listener = open_listener(4, &listening);
    int clients[3];
    for (int i = 0; i < 3; i++) {
        clients[i] = open_client(&listening);
    }
    CHECK(wait_for_accept_queue(listener, &listening, 3));

    int32_t accepted[4] = {-7, -7, -7, -7};
    CHECK_EQ(jepoll_accept_batch(listener, address_of(accepted), 0), 0);
    CHECK_EQ(jepoll_accept_batch(listener, address_of(accepted), -1), 0);
    CHECK_EQ(accepted[0], -7);
    CHECK_EQ(jepoll_accept_batch(listener, address_of(accepted), 2), 2);
    CHECK_EQ(accepted[2], -7);
    CHECK_EQ(jepoll_accept_batch(listener, address_of(accepted + 2), 2), 1);
    CHECK_EQ(accepted[3], -7);
    close_fds(3, accepted);
    close_fds(3, clients);
    close_fds(1, (int[]) {listener});
}

static void int_options_round_trip(void) {
    int fd = open_socket(4);
    CHECK_EQ(jepoll_setsockopt(fd, JEPOLL_TCP_NODELAY, 1), 0);
    CHECK(jepoll_getsockopt(fd, JEPOLL_TCP_NODELAY) != 0);
    CHECK_EQ(jepoll_setsockopt(fd, JEPOLL_SO_KEEPALIVE, 1), 0);
    CHECK(jepoll_getsockopt(fd, JEPOLL_SO_KEEPALIVE) != 0);
    CHECK_EQ(jepoll_setsockopt(fd, JEPOLL_SO_KEEPALIVE, 0), 0);
    CHECK_EQ(jepoll_getsockopt(fd, JEPOLL_SO_KEEPALIVE), 0);
    CHECK_EQ(jepoll_setsockopt(fd, JEPOLL_TCP_KEEPIDLE, 30), 0);
    CHECK_EQ(jepoll_getsockopt(fd, JEPOLL_TCP_KEEPIDLE), 30);
    /* The kernel doubles buffer sizes for its own bookkeeping. */
    CHECK_EQ(jepoll_setsockopt(fd, JEPOLL_SO_RCVBUF, 32768), 0);
    CHECK(jepoll_getsockopt(fd, JEPOLL_SO_RCVBUF) >= 32768);
    CHECK_EQ(jepoll_setsockopt(fd, JEPOLL_SO_SNDBUF, 32768), 0);
    CHECK(jepoll_getsockopt(fd, JEPOLL_SO_SNDBUF) >= 32768);
    CHECK_EQ(jepoll_getsockopt(fd, JEPOLL_SO_ERROR), 0);
    close_fds(1, (int[]) {fd});
}

static void linger_maps_off_to_minus_one(void) {
    int fd = open_socket(4);
    CHECK_EQ(jepoll_getsockopt(fd, JEPOLL_SO_LINGER), -1);
    CHECK_EQ(jepoll_setsockopt(fd, JEPOLL_SO_LINGER, 0), 0);
    CHECK_EQ(jepoll_getsockopt(fd, JEPOLL_SO_LINGER), 0);
    CHECK_EQ(jepoll_setsockopt(fd, JEPOLL_SO_LINGER, 5), 0);
    CHECK_EQ(jepoll_getsockopt(fd, JEPOLL_SO_LINGER), 5);
    CHECK_EQ(jepoll_setsockopt(fd, JEPOLL_SO_LINGER, -1), 0);
    CHECK_EQ(jepoll_getsockopt(fd, JEPOLL_SO_LINGER), -1);
    close_fds(1, (int[]) {fd});
}

static void unknown_or_get_only_option_is_enoprotoopt(void) {
    int fd = open_socket(4);
    const int unknown[] = {0, -1, JEPOLL_IPV6_V6ONLY + 1, 999};
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
        CHECK_EQ(jepoll_getsockopt(fd, unknown[i]), -ENOPROTOOPT);
        CHECK_EQ(jepoll_setsockopt(fd, unknown[i], 1), -ENOPROTOOPT);
    }
    CHECK_EQ(jepoll_setsockopt(fd, JEPOLL_SO_ERROR, 0), -ENOPROTOOPT);
    close_fds(1, (int[]) {fd});
}

static void connect_to_closed_port_reports_econnrefused(void) {
    /* Bound but not listening: the port stays ours, so a connect to it is surely refused. */
    int reserved = open_socket(4);
    struct address any_port = loopback(4, 0), closed;
    CHECK_EQ(jepoll_bind(reserved, address_of(&any_port)), 0);
    CHECK_EQ(jepoll_local_address(reserved, address_of(&closed)), 0);

    int client = open_socket(4);
    int rc = jepoll_connect(client, address_of(&closed));
    CHECK(rc == -EINPROGRESS || rc == -ECONNREFUSED);
    if (rc == -EINPROGRESS) {
        uint32_t events = wait_for(client, JEPOLL_EPOLLOUT);
        CHECK(events & JEPOLL_EPOLLOUT);
        CHECK(events & (JEPOLL_EPOLLERR | JEPOLL_EPOLLHUP));
        CHECK_EQ(jepoll_getsockopt(client, JEPOLL_SO_ERROR), ECONNREFUSED);
        CHECK_EQ(jepoll_getsockopt(client, JEPOLL_SO_ERROR), 0);
    }
    close_fds(2, (int[]) {client, reserved});
}

static void bad_family_or_port_is_rejected(void) {
    CHECK_EQ(jepoll_socket(5), -EAFNOSUPPORT);
    int fd = open_socket(4);
    struct address address = loopback(4, 0);
    address.family = 5;
    CHECK_EQ(jepoll_bind(fd, address_of(&address)), -EAFNOSUPPORT);
    CHECK_EQ(jepoll_connect(fd, address_of(&address)), -EAFNOSUPPORT);
    address = loopback(4, 65536);
    CHECK_EQ(jepoll_bind(fd, address_of(&address)), -EINVAL);
    address = loopback(4, -1);
    CHECK_EQ(jepoll_bind(fd, address_of(&address)), -EINVAL);
    close_fds(1, (int[]) {fd});
}

static void second_bind_without_reuseport_is_eaddrinuse(void) {
    struct address taken;
    int listener = open_listener(4, &taken);
    int second = open_socket(4);
    CHECK_EQ(jepoll_setsockopt(second, JEPOLL_SO_REUSEADDR, 1), 0);
    CHECK_EQ(jepoll_bind(second, address_of(&taken)), -EADDRINUSE);
    close_fds(2, (int[]) {second, listener});
}

static int open_reuseport_listener(const struct address *address) {
    int fd = open_socket(address->family);
    CHECK_EQ(jepoll_setsockopt(fd, JEPOLL_SO_REUSEPORT, 1), 0);
    CHECK_EQ(jepoll_bind(fd, address_of(address)), 0);
    CHECK_EQ(jepoll_listen(fd, BACKLOG), 0);
    return fd;
}

static void second_bind_with_reuseport_on_both_succeeds(void) {
    struct address any_port = loopback(4, 0), taken;
    int first = open_reuseport_listener(&any_port);
    CHECK_EQ(jepoll_local_address(first, address_of(&taken)), 0);
    int second = open_reuseport_listener(&taken);
    close_fds(2, (int[]) {second, first});
}

/* SIGPIPE's default action would end this test process: surviving is half the check. */
static void write_to_closed_peer_is_an_error_not_sigpipe(void) {
    struct connection c;
    open_connection(4, &c);
    CHECK_EQ(jepoll_close(c.server), 0);
    char byte = 'x';
    int n = 0;
    for (int i = 0; i < 100 && n >= 0; i++) {
        n = jepoll_write(c.client, address_of(&byte), 1);
        wait_for(c.client, JEPOLL_EPOLLERR | JEPOLL_EPOLLHUP);
    }
    CHECK(n == -EPIPE || n == -ECONNRESET);
    CHECK_EQ(jepoll_write(c.client, address_of(&byte), 1), -EPIPE);
    int64_t iov[2] = {address_of(&byte), 1};
    CHECK_EQ(jepoll_writev(c.client, address_of(iov), 1), -EPIPE);
    close_fds(2, (int[]) {c.client, c.listener});
}

/* A file of length bytes, byte i being (unsigned char) (i * 13 + i / 509), already unlinked. */
static int open_pattern_file(long length) {
    char name[] = "/tmp/jepoll-test-sendfile-XXXXXX";
    int fd = mkstemp(name);
    CHECK(fd >= 0);
    CHECK_EQ(unlink(name), 0);
    unsigned char block[4096];
    for (long at = 0; at < length; at += (long) sizeof block) {
        long n = length - at < (long) sizeof block ? length - at : (long) sizeof block;
        for (long i = 0; i < n; i++) {
            block[i] = (unsigned char) ((at + i) * 13 + (at + i) / 509);
        }
        CHECK_EQ(write(fd, block, (size_t) n), n);
    }
    return fd;
}

static void sendfile_sends_the_region_and_keeps_the_file_position(void) {
    struct connection c;
    open_connection(4, &c);
    int file = open_pattern_file(100000);
    CHECK_EQ(jepoll_sendfile(c.server, file, 1000, 5000), 5000);
    CHECK_EQ(lseek(file, 0, SEEK_CUR), 100000);
    unsigned char received[5000];
    CHECK_EQ(read_exactly(c.client, (char *) received, (int) sizeof received), sizeof received);
    int same = 1;
    for (long i = 0; i < (long) sizeof received; i++) {
        same &= received[i] == (unsigned char) ((1000 + i) * 13 + (1000 + i) / 509);
    }
    CHECK(same);
    CHECK_EQ(jepoll_sendfile(c.server, file, 99990, 5000), 10);
    CHECK_EQ(jepoll_sendfile(c.server, file, 100000, 5000), 0);
    CHECK_EQ(jepoll_sendfile(c.server, file, 200000, 5000), 0);
    CHECK_EQ(jepoll_sendfile(c.server, file, 0, 0), 0);
    CHECK_EQ(jepoll_close(file), 0);
    close_connection(&c);
}

/* The reader never reads: the socket fills, and sendfile then says so instead of blocking. */
static void sendfile_to_a_full_socket_is_eagain(void) {
    struct connection c;
    open_connection(4, &c);
    CHECK_EQ(jepoll_setsockopt(c.server, JEPOLL_SO_SNDBUF, 16384), 0);
    long length = 8L << 20;
    int file = open_pattern_file(length);
    int64_t offset = 0, n = 1;
    for (int i = 0; i < 1000 && n > 0; i++) {
        n = jepoll_sendfile(c.server, file, offset, length - offset);
        if (n > 0) {
            offset += n;
        }
    }
    CHECK_EQ(n, -EAGAIN);
    CHECK(offset > 0 && offset < length);
    CHECK_EQ(jepoll_close(file), 0);
    close_connection(&c);
}

static void sendfile_refuses_negative_offsets_counts_and_bad_fds(void) {
    struct connection c;
    open_connection(4, &c);
    int file = open_pattern_file(100);
    CHECK_EQ(jepoll_sendfile(c.server, file, -1, 10), -EINVAL);
    CHECK_EQ(jepoll_sendfile(c.server, file, 0, -1), -EINVAL);
    CHECK_EQ(jepoll_sendfile(c.server, file, 0, INT64_MIN), -EINVAL);
    CHECK_EQ(jepoll_sendfile(c.server, -1, 0, 10), -EBADF);
    CHECK_EQ(jepoll_sendfile(-1, file, 0, 10), -EBADF);
    CHECK_EQ(jepoll_close(file), 0);
    close_connection(&c);
}

/* As jepoll.h warns: -EPIPE (or -ECONNRESET first) and, unlike jepoll_write, SIGPIPE, which
 * stays blocked and pending here instead of ending the test process. */
static void sendfile_to_a_reset_peer_fails_and_raises_sigpipe(void) {
    sigset_t pipe_only, before;
    sigemptyset(&pipe_only);
    sigaddset(&pipe_only, SIGPIPE);
    CHECK_EQ(sigprocmask(SIG_BLOCK, &pipe_only, &before), 0);

    struct connection c;
    open_connection(4, &c);
    int file = open_pattern_file(4096);
    CHECK_EQ(jepoll_setsockopt(c.client, JEPOLL_SO_LINGER, 0), 0);
    CHECK_EQ(jepoll_close(c.client), 0);
    int64_t n = 0;
    for (int i = 0; i < 100 && n >= 0; i++) {
        n = jepoll_sendfile(c.server, file, 0, 4096);
        wait_for(c.server, JEPOLL_EPOLLERR | JEPOLL_EPOLLHUP);
    }
    CHECK(n == -EPIPE || n == -ECONNRESET);
    CHECK_EQ(jepoll_sendfile(c.server, file, 0, 4096), -EPIPE);
    sigset_t pending;
    CHECK_EQ(sigpending(&pending), 0);
    CHECK(sigismember(&pending, SIGPIPE));
    struct timespec now = {0, 0};
    CHECK_EQ(sigtimedwait(&pipe_only, NULL, &now), SIGPIPE);

    CHECK_EQ(sigprocmask(SIG_SETMASK, &before, NULL), 0);
    close_fds(3, (int[]) {file, c.server, c.listener});
}

static void close_twice_is_ebadf(void) {
    int fd = open_socket(4);
    CHECK_EQ(jepoll_close(fd), 0);
    CHECK_EQ(jepoll_close(fd), -EBADF);
}

/* Java turns any -errno into a message through these, whatever number it gets: for every
 * number both are NULL, or both are short printable strings and the name looks like one. */
static void check_errno_lookup(int errnum) {
    const char *name = jepoll_errno_name(errnum), *text = jepoll_errno_text(errnum);
    CHECK((name == NULL) == (text == NULL));
    if (name == NULL || text == NULL) {
        return;
    }
    size_t name_length = strnlen(name, 32), text_length = strnlen(text, 128);
    CHECK(name_length > 0 && name_length < 32);
    CHECK(text_length > 0 && text_length < 128);
    int name_ok = errnum == 0 ? strcmp(name, "0") == 0 : name[0] == 'E';
    for (size_t i = 1; i < name_length; i++) {
        name_ok &= (name[i] >= 'A' && name[i] <= 'Z') || (name[i] >= '0' && name[i] <= '9');
    }
    CHECK(name_ok);
    int text_ok = 1;
    for (size_t i = 0; i < text_length; i++) {
        text_ok &= text[i] >= ' ' && text[i] <= '~';
    }
    CHECK(text_ok);
}

static void errno_lookup_is_null_or_sane_for_any_number(void) {
    for (int errnum = -4096; errnum <= 4096; errnum++) {
        check_errno_lookup(errnum);
    }
    for (int bit = 13; bit < 31; bit++) {
        check_errno_lookup(1 << bit);
        check_errno_lookup(-(1 << bit));
    }
    check_errno_lookup(INT32_MAX);
    check_errno_lookup(INT32_MIN);
}

static void errno_names_and_texts(void) {
    CHECK_STR_EQ(jepoll_errno_name(EAGAIN), "EAGAIN");
    CHECK_STR_EQ(jepoll_errno_text(EAGAIN), "Resource temporarily unavailable");
    CHECK_STR_EQ(jepoll_errno_name(ECONNREFUSED), "ECONNREFUSED");
    CHECK_STR_EQ(jepoll_errno_text(ECONNREFUSED), "Connection refused");
    CHECK(jepoll_errno_name(99999) == NULL);
    CHECK(jepoll_errno_text(99999) == NULL);
}

/* The shim keeps its own table so that it loads on glibc 2.17; where glibc has one (2.32+),
 * the two must say the same for every errno glibc knows. */
static void errno_table_matches_glibcs_own(void) {
#if defined(__GLIBC__) && __GLIBC_PREREQ(2, 32)
    int known = 0;
    for (int errnum = 1; errnum < 4096; errnum++) {
        const char *name = strerrorname_np(errnum);
        if (name == NULL) {
            CHECK(jepoll_errno_name(errnum) == NULL);
            continue;
        }
        known++;
        CHECK_STR_EQ(jepoll_errno_name(errnum), name);
        CHECK_STR_EQ(jepoll_errno_text(errnum), strerrordesc_np(errnum));
    }
    CHECK(known > 100);
#endif
}

static void abi_version_matches_header(void) {
    CHECK_EQ(jepoll_abi_version(), JEPOLL_ABI_VERSION);
}

int main(void) {
    TEST(socket_and_accepted_fds_are_nonblocking_and_cloexec);
    TEST(ipv4_connect_and_accept_report_addresses);
    TEST(ipv6_connect_and_accept_report_addresses);
    TEST(write_and_read_move_bytes_exactly);
    TEST(writev_sends_three_segments_in_order);
    TEST(negative_length_is_einval_and_moves_nothing);
    TEST(shutdown_write_gives_peer_eof);
    TEST(accept_on_empty_queue_is_eagain);
    TEST(accept_batch_takes_all_pending_then_returns_zero);
    TEST(accept_batch_fills_at_most_max);
    TEST(int_options_round_trip);
    TEST(linger_maps_off_to_minus_one);
    TEST(unknown_or_get_only_option_is_enoprotoopt);
    TEST(connect_to_closed_port_reports_econnrefused);
    TEST(bad_family_or_port_is_rejected);
    TEST(second_bind_without_reuseport_is_eaddrinuse);
    TEST(second_bind_with_reuseport_on_both_succeeds);
    TEST(write_to_closed_peer_is_an_error_not_sigpipe);
    TEST(sendfile_sends_the_region_and_keeps_the_file_position);
    TEST(sendfile_to_a_full_socket_is_eagain);
    TEST(sendfile_refuses_negative_offsets_counts_and_bad_fds);
    TEST(sendfile_to_a_reset_peer_fails_and_raises_sigpipe);
    TEST(close_twice_is_ebadf);
    TEST(errno_names_and_texts);
    TEST(errno_table_matches_glibcs_own);
    TEST(errno_lookup_is_null_or_sane_for_any_number);
    TEST(abi_version_matches_header);
    return check_exit_code();
}
