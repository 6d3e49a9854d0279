/*
 * Unix domain stream sockets through the shim, in a fresh directory under /tmp that each case
 * cleans up. Every wait is bounded by WAIT_MS.
 */
#define _GNU_SOURCE
#include "check.h"
#include "jepoll.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { WAIT_MS = 2000, BACKLOG = 16 };

static char directory[64];

static int64_t address_of(const void *pointer) {
    return (int64_t) (intptr_t) pointer;
}

/* A path in this run's directory; the returned buffer is reused by the next call. */
static const char *path_of(const char *name) {
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", directory, name);
    return path;
}

static int bind_path(int fd, const char *path) {
    return jepoll_unix_bind(fd, address_of(path), (int) strlen(path));
}

static int connect_path(int fd, const char *path) {
    return jepoll_unix_connect(fd, address_of(path), (int) strlen(path));
}

/* A listening socket on path, or -1 (recorded as a failure). */
static int listener_at(const char *path, int backlog) {
    int fd = jepoll_unix_socket();
    CHECK(fd >= 0);
    CHECK_EQ(bind_path(fd, path), 0);
    CHECK_EQ(jepoll_listen(fd, backlog), 0);
    return fd;
}

static int wait_for(int fd, short events) {
    struct pollfd p = {.fd = fd, .events = events};
    return poll(&p, 1, WAIT_MS);
}

static void unix_socket_is_nonblocking_and_cloexec(void) {
    int fd = jepoll_unix_socket();
    CHECK(fd >= 0);
    CHECK(fcntl(fd, F_GETFL) & O_NONBLOCK);
    CHECK(fcntl(fd, F_GETFD) & FD_CLOEXEC);
    CHECK_EQ(jepoll_close(fd), 0);
}

static void connect_and_accept_report_paths_and_move_bytes(void) {
    const char *path = path_of("s.sock");
    int listener = listener_at(path, BACKLOG);
    struct stat st;
    CHECK_EQ(stat(path, &st), 0);
    CHECK(S_ISSOCK(st.st_mode));

    int client = jepoll_unix_socket();
    CHECK_EQ(connect_path(client, path), 0);
    CHECK_EQ(wait_for(listener, POLLIN), 1);
    int server = jepoll_accept(listener, 0);
    CHECK(server >= 0);
    CHECK(fcntl(server, F_GETFL) & O_NONBLOCK);

    char name[JEPOLL_UNIX_PATH_SIZE];
    int length = jepoll_unix_local_path(listener, address_of(name));
    CHECK_EQ(length, strlen(path));
    CHECK(length > 0 && memcmp(name, path, (size_t) length) == 0);
    length = jepoll_unix_local_path(server, address_of(name));
    CHECK_EQ(length, strlen(path));
    length = jepoll_unix_peer_path(client, address_of(name));
    CHECK_EQ(length, strlen(path));
    CHECK(length > 0 && memcmp(name, path, (size_t) length) == 0);
    /* Neither side of the client's connection bound a name of its own. */
    CHECK_EQ(jepoll_unix_local_path(client, address_of(name)), 0);
    CHECK_EQ(jepoll_unix_peer_path(server, address_of(name)), 0);

    const char message[] = "over a socket file";
    CHECK_EQ(jepoll_write(client, address_of(message), sizeof message), sizeof message);
    char received[sizeof message] = {0};
    CHECK_EQ(wait_for(server, POLLIN), 1);
    CHECK_EQ(jepoll_read(server, address_of(received), sizeof received), sizeof message);
    CHECK(memcmp(received, message, sizeof message) == 0);

    CHECK_EQ(jepoll_shutdown(client, JEPOLL_SHUT_WR), 0);
    CHECK_EQ(wait_for(server, POLLIN), 1);
    CHECK_EQ(jepoll_read(server, address_of(received), sizeof received), 0);

    jepoll_close(client);
    jepoll_close(server);
    jepoll_close(listener);
    unlink(path);
}

static void accept_reports_an_unnamed_peer_as_family_zero(void) {
    const char *path = path_of("f.sock");
    int listener = listener_at(path, BACKLOG);
    int client = jepoll_unix_socket();
    CHECK_EQ(connect_path(client, path), 0);
    uint8_t record[JEPOLL_ADDRESS_SIZE];
    memset(record, 0xff, sizeof record);
    CHECK_EQ(wait_for(listener, POLLIN), 1);
    int server = jepoll_accept(listener, address_of(record));
    CHECK(server >= 0);
    for (size_t i = 0; i < sizeof record; i++) {
        CHECK_EQ(record[i], 0);
    }
    jepoll_close(client);
    jepoll_close(server);
    jepoll_close(listener);
    unlink(path);
}

static void abstract_names_round_trip_with_their_leading_nul(void) {
    char name[32];
    int length = snprintf(name, sizeof name, "%cjepoll-test-%d", 0, (int) getpid());
    int listener = jepoll_unix_socket();
    CHECK_EQ(jepoll_unix_bind(listener, address_of(name), length), 0);
    CHECK_EQ(jepoll_listen(listener, BACKLOG), 0);
    int client = jepoll_unix_socket();
    CHECK_EQ(jepoll_unix_connect(client, address_of(name), length), 0);
    char read_back[JEPOLL_UNIX_PATH_SIZE];
    CHECK_EQ(jepoll_unix_peer_path(client, address_of(read_back)), length);
    CHECK(memcmp(read_back, name, (size_t) length) == 0);
    jepoll_close(client);
    jepoll_close(listener);
}

static void path_lengths_out_of_range_and_inner_nuls_are_refused(void) {
    char path[JEPOLL_UNIX_PATH_MAX + 2];
    int prefix = snprintf(path, sizeof path, "%s/", directory);
    memset(path + prefix, 'p', sizeof path - 1 - (size_t) prefix);
    path[sizeof path - 1] = 0;

    int fd = jepoll_unix_socket();
    CHECK_EQ(jepoll_unix_bind(fd, address_of(path), JEPOLL_UNIX_PATH_MAX + 1), -ENAMETOOLONG);
    CHECK_EQ(jepoll_unix_connect(fd, address_of(path), JEPOLL_UNIX_PATH_MAX + 1), -ENAMETOOLONG);
    CHECK_EQ(jepoll_unix_bind(fd, address_of(path), 0), -EINVAL);
    CHECK_EQ(jepoll_unix_bind(fd, address_of(path), -1), -EINVAL);
    const char inner_nul[] = "a\0b";
    CHECK_EQ(jepoll_unix_bind(fd, address_of(inner_nul), 3), -EINVAL);

    /* The longest path fits, and reads back whole although sun_path has no room for its NUL
     * beyond the 108th byte. */
    CHECK_EQ(jepoll_unix_bind(fd, address_of(path), JEPOLL_UNIX_PATH_MAX), 0);
    char read_back[JEPOLL_UNIX_PATH_SIZE];
    CHECK_EQ(jepoll_unix_local_path(fd, address_of(read_back)), JEPOLL_UNIX_PATH_MAX);
    CHECK(memcmp(read_back, path, JEPOLL_UNIX_PATH_MAX) == 0);
    jepoll_close(fd);
    path[JEPOLL_UNIX_PATH_MAX] = 0;
    unlink(path);
}

static void connect_to_a_stale_file_is_refused_and_to_none_is_enoent(void) {
    const char *path = path_of("stale.sock");
    int dead = listener_at(path, BACKLOG);
    jepoll_close(dead);
    int client = jepoll_unix_socket();
    CHECK_EQ(connect_path(client, path), -ECONNREFUSED);
    jepoll_close(client);

    /* The file stays after its socket closed: a second bind finds it taken. */
    int again = jepoll_unix_socket();
    CHECK_EQ(bind_path(again, path), -EADDRINUSE);
    jepoll_close(again);
    unlink(path);

    client = jepoll_unix_socket();
    CHECK_EQ(connect_path(client, path_of("missing.sock")), -ENOENT);
    jepoll_close(client);
}

static void connect_to_a_full_backlog_is_eagain_not_in_progress(void) {
    const char *path = path_of("full.sock");
    int listener = listener_at(path, 1);
    int clients[64];
    int count = 0, rc = 0;
    while (count < 64) {
        clients[count] = jepoll_unix_socket();
        rc = connect_path(clients[count], path);
        count++;
        if (rc < 0) {
            break;
        }
    }
    CHECK_EQ(rc, -EAGAIN);
    for (int i = 0; i < count; i++) {
        jepoll_close(clients[i]);
    }
    jepoll_close(listener);
    unlink(path);
}

static void tcp_options_fail_and_buffer_sizes_apply(void) {
    int fd = jepoll_unix_socket();
    CHECK_EQ(jepoll_setsockopt(fd, JEPOLL_TCP_NODELAY, 1), -EOPNOTSUPP);
    CHECK_EQ(jepoll_getsockopt(fd, JEPOLL_TCP_NODELAY), -EOPNOTSUPP);
    CHECK_EQ(jepoll_setsockopt(fd, JEPOLL_SO_SNDBUF, 65536), 0);
    CHECK(jepoll_getsockopt(fd, JEPOLL_SO_SNDBUF) >= 65536);
    jepoll_close(fd);
}

static void unix_paths_of_another_family_are_eafnosupport(void) {
    int tcp = jepoll_socket(4);
    char name[JEPOLL_UNIX_PATH_SIZE];
    memset(name, 'x', sizeof name);
    CHECK_EQ(jepoll_unix_local_path(tcp, address_of(name)), -EAFNOSUPPORT);
    CHECK_EQ(name[0], 'x');
    jepoll_close(tcp);
    CHECK_EQ(jepoll_unix_local_path(-1, address_of(name)), -EBADF);
}

int main(void) {
    snprintf(directory, sizeof directory, "/tmp/jepoll-unix-XXXXXX");
    if (mkdtemp(directory) == NULL) {
        perror("mkdtemp");
        return 1;
    }
    TEST(unix_socket_is_nonblocking_and_cloexec);
    TEST(connect_and_accept_report_paths_and_move_bytes);
    TEST(accept_reports_an_unnamed_peer_as_family_zero);
    TEST(abstract_names_round_trip_with_their_leading_nul);
    TEST(path_lengths_out_of_range_and_inner_nuls_are_refused);
    TEST(connect_to_a_stale_file_is_refused_and_to_none_is_enoent);
    TEST(connect_to_a_full_backlog_is_eagain_not_in_progress);
    TEST(tcp_options_fail_and_buffer_sizes_apply);
    TEST(unix_paths_of_another_family_are_eafnosupport);
    rmdir(directory);
    return check_exit_code();
}
