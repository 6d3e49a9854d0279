/*
 * The epoll semantics the Java event loop relies on, pinned on socketpairs, pipes and
 * eventfds. Every wait has timeout 0: these fds change state synchronously, so a wait
 * never needs to block, and nothing here can hang.
 */
#define _GNU_SOURCE
#include "check.h"
#include "jepoll.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define ADD JEPOLL_EPOLL_CTL_ADD
#define MOD JEPOLL_EPOLL_CTL_MOD
#define DEL JEPOLL_EPOLL_CTL_DEL

enum { MAX_TEST_EVENTS = 8, CHUNK = 64 * 1024 };

struct event {
    int32_t fd;
    uint32_t events;
    int32_t tag;
};

struct ready {
    int count;
    struct event events[MAX_TEST_EVENTS];
};

static int64_t address_of(const void *pointer) {
    return (int64_t) (intptr_t) pointer;
}

/* Reads a record at the offsets jepoll.h documents, as the Java side does. */
static struct event decode_event(const unsigned char *record) {
    struct event event;
    memcpy(&event.fd, record + 0, sizeof event.fd);
    memcpy(&event.events, record + 4, sizeof event.events);
    memcpy(&event.tag, record + 8, sizeof event.tag);
    return event;
}

static struct ready wait_now(int epfd) {
    unsigned char records[MAX_TEST_EVENTS * JEPOLL_EVENT_SIZE] = {0};
    struct ready ready = {0};
    ready.count = jepoll_epoll_wait(epfd, address_of(records), MAX_TEST_EVENTS, 0);
    CHECK(ready.count >= 0);
    for (int i = 0; i < ready.count; i++) {
        ready.events[i] = decode_event(records + i * JEPOLL_EVENT_SIZE);
    }
    return ready;
}

/* The events a zero-timeout wait reports for fd; 0 when fd is not reported. */
static uint32_t events_now(int epfd, int fd) {
    struct ready ready = wait_now(epfd);
    for (int i = 0; i < ready.count; i++) {
        if (ready.events[i].fd == fd) {
            return ready.events[i].events;
        }
    }
    return 0;
}

static int open_epoll(void) {
    int epfd = jepoll_epoll_create();
    CHECK(epfd >= 0);
    return epfd;
}

static void open_socketpair(int *local, int *peer) {
    int fds[2] = {-1, -1};
    CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fds), 0);
    *local = fds[0];
    *peer = fds[1];
}

static void open_pipe(int *read_end, int *write_end) {
    int fds[2] = {-1, -1};
    CHECK_EQ(pipe2(fds, O_NONBLOCK | O_CLOEXEC), 0);
    *read_end = fds[0];
    *write_end = fds[1];
}

static void send_from_peer(int peer, const char *bytes) {
    ssize_t length = (ssize_t) strlen(bytes);
    CHECK_EQ(write(peer, bytes, (size_t) length), length);
}

/* Reads until -EAGAIN; returns the bytes read. */
static long drain(int fd) {
    static char buffer[CHUNK];
    long total = 0;
    int n;
    while ((n = jepoll_read(fd, address_of(buffer), CHUNK)) > 0) {
        total += n;
    }
    CHECK_EQ(n, -EAGAIN);
    return total;
}

/* Writes until -EAGAIN; returns the bytes written. */
static long fill(int fd) {
    static char buffer[CHUNK];
    long total = 0;
    int n;
    while ((n = jepoll_write(fd, address_of(buffer), CHUNK)) > 0) {
        total += n;
    }
    CHECK_EQ(n, -EAGAIN);
    return total;
}

static void close_fds(int count, const int *fds) {
    for (int i = 0; i < count; i++) {
        CHECK_EQ(jepoll_close(fds[i]), 0);
    }
}

static void level_triggered_reports_undrained_data_until_drained(void) {
    int epfd = open_epoll(), local, peer;
    open_socketpair(&local, &peer);
    CHECK_EQ(jepoll_epoll_ctl(epfd, ADD, local, JEPOLL_EPOLLIN, 0), 0);
    CHECK_EQ(events_now(epfd, local), 0);

    send_from_peer(peer, "abcd");
    CHECK_EQ(events_now(epfd, local), JEPOLL_EPOLLIN);
    char two[2];
    CHECK_EQ(jepoll_read(local, address_of(two), 2), 2);
    CHECK_EQ(events_now(epfd, local), JEPOLL_EPOLLIN);
    CHECK_EQ(events_now(epfd, local), JEPOLL_EPOLLIN);

    CHECK_EQ(drain(local), 2);
    CHECK_EQ(events_now(epfd, local), 0);
    close_fds(3, (int[]) {epfd, local, peer});
}

static void edge_triggered_reports_data_once_until_more_arrives(void) {
    int epfd = open_epoll(), local, peer;
    open_socketpair(&local, &peer);
    CHECK_EQ(jepoll_epoll_ctl(epfd, ADD, local, JEPOLL_EPOLLIN | JEPOLL_EPOLLET, 0), 0);

    send_from_peer(peer, "abcd");
    CHECK_EQ(events_now(epfd, local), JEPOLL_EPOLLIN);
    CHECK_EQ(wait_now(epfd).count, 0);

    send_from_peer(peer, "e");
    CHECK_EQ(events_now(epfd, local), JEPOLL_EPOLLIN);
    CHECK_EQ(wait_now(epfd).count, 0);

    CHECK_EQ(drain(local), 5);
    CHECK_EQ(wait_now(epfd).count, 0);
    close_fds(3, (int[]) {epfd, local, peer});
}

static void peer_shutdown_write_reports_rdhup_and_in_then_eof(void) {
    int epfd = open_epoll(), local, peer;
    open_socketpair(&local, &peer);
    CHECK_EQ(jepoll_epoll_ctl(epfd, ADD, local, JEPOLL_EPOLLIN | JEPOLL_EPOLLRDHUP, 0), 0);

    CHECK_EQ(shutdown(peer, SHUT_WR), 0);
    CHECK_EQ(events_now(epfd, local), JEPOLL_EPOLLIN | JEPOLL_EPOLLRDHUP);
    char byte;
    CHECK_EQ(jepoll_read(local, address_of(&byte), 1), 0);
    close_fds(3, (int[]) {epfd, local, peer});
}

/* EPOLLHUP is reported although only EPOLLIN was asked for: the kernel always adds it. */
static void socketpair_peer_close_reports_hup(void) {
    int epfd = open_epoll(), local, peer;
    open_socketpair(&local, &peer);
    CHECK_EQ(jepoll_epoll_ctl(epfd, ADD, local, JEPOLL_EPOLLIN, 0), 0);

    CHECK_EQ(jepoll_close(peer), 0);
    uint32_t events = events_now(epfd, local);
    CHECK(events & JEPOLL_EPOLLHUP);
    CHECK(events & JEPOLL_EPOLLIN);
    char byte;
    CHECK_EQ(jepoll_read(local, address_of(&byte), 1), 0);
    close_fds(2, (int[]) {epfd, local});
}

static void pipe_write_end_close_reports_hup_on_read_end(void) {
    int epfd = open_epoll(), read_end, write_end;
    open_pipe(&read_end, &write_end);
    CHECK_EQ(jepoll_epoll_ctl(epfd, ADD, read_end, JEPOLL_EPOLLIN, 0), 0);
    CHECK_EQ(events_now(epfd, read_end), 0);

    CHECK_EQ(jepoll_close(write_end), 0);
    CHECK(events_now(epfd, read_end) & JEPOLL_EPOLLHUP);
    close_fds(2, (int[]) {epfd, read_end});
}

static void pipe_read_end_close_reports_err_on_write_end(void) {
    int epfd = open_epoll(), read_end, write_end;
    open_pipe(&read_end, &write_end);
    CHECK_EQ(jepoll_epoll_ctl(epfd, ADD, write_end, JEPOLL_EPOLLOUT, 0), 0);
    CHECK_EQ(events_now(epfd, write_end), JEPOLL_EPOLLOUT);

    CHECK_EQ(jepoll_close(read_end), 0);
    CHECK(events_now(epfd, write_end) & JEPOLL_EPOLLERR);
    close_fds(2, (int[]) {epfd, write_end});
}

static void writable_socket_reports_out(void) {
    int epfd = open_epoll(), local, peer;
    open_socketpair(&local, &peer);
    CHECK_EQ(jepoll_epoll_ctl(epfd, ADD, local, JEPOLL_EPOLLOUT, 0), 0);
    CHECK_EQ(events_now(epfd, local), JEPOLL_EPOLLOUT);
    CHECK_EQ(events_now(epfd, local), JEPOLL_EPOLLOUT);
    close_fds(3, (int[]) {epfd, local, peer});
}

static void edge_triggered_out_returns_after_peer_drains_full_socket(void) {
    int epfd = open_epoll(), local, peer;
    open_socketpair(&local, &peer);
    CHECK_EQ(jepoll_epoll_ctl(epfd, ADD, local, JEPOLL_EPOLLOUT | JEPOLL_EPOLLET, 0), 0);
    CHECK_EQ(events_now(epfd, local), JEPOLL_EPOLLOUT);
    CHECK_EQ(wait_now(epfd).count, 0);

    long written = fill(local);
    CHECK(written > 0);
    CHECK_EQ(wait_now(epfd).count, 0);

    static char buffer[CHUNK];
    long drained = 0;
    ssize_t n;
    while ((n = read(peer, buffer, sizeof buffer)) > 0) {
        drained += n;
    }
    CHECK_EQ(drained, written);
    CHECK_EQ(events_now(epfd, local), JEPOLL_EPOLLOUT);
    close_fds(3, (int[]) {epfd, local, peer});
}

static void read_on_empty_socket_is_eagain(void) {
    int local, peer;
    open_socketpair(&local, &peer);
    char byte;
    CHECK_EQ(jepoll_read(local, address_of(&byte), 1), -EAGAIN);
    close_fds(2, (int[]) {local, peer});
}

static void ctl_add_twice_is_eexist(void) {
    int epfd = open_epoll(), local, peer;
    open_socketpair(&local, &peer);
    CHECK_EQ(jepoll_epoll_ctl(epfd, ADD, local, JEPOLL_EPOLLIN, 0), 0);
    CHECK_EQ(jepoll_epoll_ctl(epfd, ADD, local, JEPOLL_EPOLLIN, 0), -EEXIST);
    close_fds(3, (int[]) {epfd, local, peer});
}

static void ctl_mod_or_del_of_unregistered_fd_is_enoent(void) {
    int epfd = open_epoll(), local, peer;
    open_socketpair(&local, &peer);
    CHECK_EQ(jepoll_epoll_ctl(epfd, MOD, local, JEPOLL_EPOLLIN, 0), -ENOENT);
    CHECK_EQ(jepoll_epoll_ctl(epfd, DEL, local, 0, 0), -ENOENT);
    close_fds(3, (int[]) {epfd, local, peer});
}

/* The closed fd is used at once, before anything can reuse its number. */
static void ctl_on_closed_fd_is_ebadf(void) {
    int epfd = open_epoll(), local, peer;
    open_socketpair(&local, &peer);
    CHECK_EQ(jepoll_close(peer), 0);
    CHECK_EQ(jepoll_epoll_ctl(epfd, ADD, peer, JEPOLL_EPOLLIN, 0), -EBADF);

    int closed_epfd = open_epoll();
    CHECK_EQ(jepoll_close(closed_epfd), 0);
    CHECK_EQ(jepoll_epoll_ctl(closed_epfd, ADD, local, JEPOLL_EPOLLIN, 0), -EBADF);
    close_fds(2, (int[]) {epfd, local});
}

static void ctl_mod_replaces_events_and_tag_and_del_stops_reports(void) {
    int epfd = open_epoll(), local, peer;
    open_socketpair(&local, &peer);
    CHECK_EQ(jepoll_epoll_ctl(epfd, ADD, local, JEPOLL_EPOLLIN, 1), 0);
    send_from_peer(peer, "x");
    struct ready ready = wait_now(epfd);
    CHECK_EQ(ready.count, 1);
    CHECK_EQ(ready.events[0].tag, 1);

    CHECK_EQ(jepoll_epoll_ctl(epfd, MOD, local, JEPOLL_EPOLLIN | JEPOLL_EPOLLOUT, 2), 0);
    ready = wait_now(epfd);
    CHECK_EQ(ready.count, 1);
    CHECK_EQ(ready.events[0].events, JEPOLL_EPOLLIN | JEPOLL_EPOLLOUT);
    CHECK_EQ(ready.events[0].tag, 2);

    CHECK_EQ(jepoll_epoll_ctl(epfd, DEL, local, 0, 0), 0);
    CHECK_EQ(wait_now(epfd).count, 0);
    close_fds(3, (int[]) {epfd, local, peer});
}

static void event_layout_round_trips_fd_events_and_tag(void) {
    int epfd = open_epoll(), local, peer, read_end, write_end;
    open_socketpair(&local, &peer);
    open_pipe(&read_end, &write_end);
    const int fds[3] = {local, read_end, write_end};
    const uint32_t interest[3] = {JEPOLL_EPOLLIN, JEPOLL_EPOLLIN, JEPOLL_EPOLLOUT};
    const int32_t tags[3] = {INT32_MIN, -2, INT32_MAX};
    for (int i = 0; i < 3; i++) {
        CHECK_EQ(jepoll_epoll_ctl(epfd, ADD, fds[i], interest[i], tags[i]), 0);
    }
    send_from_peer(peer, "x");
    CHECK_EQ(write(write_end, "y", 1), 1);

    struct ready ready = wait_now(epfd);
    CHECK_EQ(ready.count, 3);
    for (int i = 0; i < 3; i++) {
        int found = 0;
        for (int j = 0; j < ready.count; j++) {
            if (ready.events[j].fd == fds[i]) {
                found++;
                CHECK_EQ(ready.events[j].events, interest[i]);
                CHECK_EQ(ready.events[j].tag, tags[i]);
            }
        }
        CHECK_EQ(found, 1);
    }
    close_fds(5, (int[]) {epfd, local, peer, read_end, write_end});
}

/* Java sizes its buffer as max_events * JEPOLL_EVENT_SIZE: not one byte more may be written. */
static void wait_writes_only_the_records_it_returns(void) {
    int epfd = open_epoll(), first, first_peer, second, second_peer;
    open_socketpair(&first, &first_peer);
    open_socketpair(&second, &second_peer);
    CHECK_EQ(jepoll_epoll_ctl(epfd, ADD, first, JEPOLL_EPOLLOUT, 0), 0);
    CHECK_EQ(jepoll_epoll_ctl(epfd, ADD, second, JEPOLL_EPOLLOUT, 0), 0);

    unsigned char records[3 * JEPOLL_EVENT_SIZE];
    memset(records, 0xA5, sizeof records);
    CHECK_EQ(jepoll_epoll_wait(epfd, address_of(records), 1, 0), 1);
    for (size_t i = JEPOLL_EVENT_SIZE; i < sizeof records; i++) {
        CHECK_EQ(records[i], 0xA5);
    }
    close_fds(5, (int[]) {epfd, first, first_peer, second, second_peer});
}

static void wait_rejects_max_events_out_of_range(void) {
    int epfd = open_epoll();
    static unsigned char records[(JEPOLL_MAX_EVENTS + 1) * JEPOLL_EVENT_SIZE];
    CHECK_EQ(jepoll_epoll_wait(epfd, address_of(records), 0, 0), -EINVAL);
    CHECK_EQ(jepoll_epoll_wait(epfd, address_of(records), -1, 0), -EINVAL);
    CHECK_EQ(jepoll_epoll_wait(epfd, address_of(records), JEPOLL_MAX_EVENTS + 1, 0), -EINVAL);
    CHECK_EQ(jepoll_epoll_wait(epfd, address_of(records), JEPOLL_MAX_EVENTS, 0), 0);
    close_fds(1, (int[]) {epfd});
}

static void epoll_and_eventfd_fds_have_the_documented_flags(void) {
    int epfd = open_epoll(), efd = jepoll_eventfd();
    CHECK(efd >= 0);
    CHECK_EQ(fcntl(epfd, F_GETFD), FD_CLOEXEC);
    CHECK_EQ(fcntl(efd, F_GETFD), FD_CLOEXEC);
    CHECK_EQ(fcntl(efd, F_GETFL) & (O_ACCMODE | O_NONBLOCK), O_RDWR | O_NONBLOCK);
    close_fds(2, (int[]) {epfd, efd});
}

static void eventfd_read_sums_writes_and_resets(void) {
    int efd = jepoll_eventfd();
    CHECK(efd >= 0);
    CHECK_EQ(jepoll_eventfd_read(efd), -EAGAIN);
    CHECK_EQ(jepoll_eventfd_write(efd, 1), 0);
    CHECK_EQ(jepoll_eventfd_write(efd, 2), 0);
    CHECK_EQ(jepoll_eventfd_read(efd), 3);
    CHECK_EQ(jepoll_eventfd_read(efd), -EAGAIN);
    close_fds(1, (int[]) {efd});
}

static void eventfd_write_makes_it_readable_in_epoll(void) {
    int epfd = open_epoll(), efd = jepoll_eventfd();
    CHECK(efd >= 0);
    CHECK_EQ(jepoll_epoll_ctl(epfd, ADD, efd, JEPOLL_EPOLLIN, 9), 0);
    CHECK_EQ(wait_now(epfd).count, 0);

    CHECK_EQ(jepoll_eventfd_write(efd, 1), 0);
    struct ready ready = wait_now(epfd);
    CHECK_EQ(ready.count, 1);
    CHECK_EQ(ready.events[0].fd, efd);
    CHECK_EQ(ready.events[0].events, JEPOLL_EPOLLIN);
    CHECK_EQ(ready.events[0].tag, 9);

    CHECK_EQ(jepoll_eventfd_read(efd), 1);
    CHECK_EQ(wait_now(epfd).count, 0);
    close_fds(2, (int[]) {epfd, efd});
}

int main(void) {
    TEST(level_triggered_reports_undrained_data_until_drained);
    TEST(edge_triggered_reports_data_once_until_more_arrives);
    TEST(peer_shutdown_write_reports_rdhup_and_in_then_eof);
    TEST(socketpair_peer_close_reports_hup);
    TEST(pipe_write_end_close_reports_hup_on_read_end);
    TEST(pipe_read_end_close_reports_err_on_write_end);
    TEST(writable_socket_reports_out);
    TEST(edge_triggered_out_returns_after_peer_drains_full_socket);
    TEST(read_on_empty_socket_is_eagain);
    TEST(ctl_add_twice_is_eexist);
    TEST(ctl_mod_or_del_of_unregistered_fd_is_enoent);
    TEST(ctl_on_closed_fd_is_ebadf);
    TEST(ctl_mod_replaces_events_and_tag_and_del_stops_reports);
    TEST(event_layout_round_trips_fd_events_and_tag);
    TEST(wait_writes_only_the_records_it_returns);
    TEST(wait_rejects_max_events_out_of_range);
    TEST(epoll_and_eventfd_fds_have_the_documented_flags);
    TEST(eventfd_read_sums_writes_and_resets);
    TEST(eventfd_write_makes_it_readable_in_epoll);
    return check_exit_code();
}
