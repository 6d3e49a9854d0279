/*
 * echo-floor: the floor under the echo load runs, as http-floor is under the HTTP ones. One
 * thread, one epoll set: each readable connection gets one recv and one send of what came, so
 * a load run can show how close an echo server comes to what the kernel allows on this
 * machine. It is a reference, not a product: no limits beyond a fixed read size.
 *
 *   echo-floor PORT [SECONDS]   binds 127.0.0.1:PORT (0: any free port), prints
 *                               "listening on 127.0.0.1:PORT", serves until SIGTERM or SIGINT
 *                               or for SECONDS, and exits 0.
 *
 * Level-triggered for the reason http-floor gives: a recv that does not drain the socket is
 * reported again next turn, so one recv per wake-up is enough. The bytes a send does not take
 * are kept, and the connection waits for EPOLLOUT instead of reading, so nothing is lost or
 * reordered; under ping-pong load that never happens, and a message costs one recv and one send.
 */
#define _GNU_SOURCE /* accept4, signalfd */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum {
    MAX_FDS = 65536, /* connections are looked up by fd; a higher fd is refused */
    READ_CAP = 16384, /* one recv takes at most this; LT reports the rest next turn */
    MAX_EVENTS = 256,
};

/* Only a connection that waits for EPOLLOUT holds bytes; the others are an empty struct. */
struct conn {
    char *out; /* what the socket did not take */
    size_t out_len, out_off;
};

static struct conn *conns[MAX_FDS];
static int ep;
static char in[READ_CAP]; /* every connection reads here: it is sent on before the next recv */

static void close_conn(int fd) {
    free(conns[fd]->out);
    free(conns[fd]);
    conns[fd] = NULL;
    close(fd); /* also removes fd from the epoll set: nothing dups it */
}

static int ctl(int op, int fd, uint32_t events) {
    struct epoll_event ev = {.events = events, .data.fd = fd};
    return epoll_ctl(ep, op, fd, &ev);
}

static void watch(int fd, uint32_t events) {
    if (ctl(EPOLL_CTL_MOD, fd, events) < 0) {
        close_conn(fd);
    }
}

/* Sends what the socket takes now; keeps the rest and waits for EPOLLOUT instead of reading. */
static void send_out(int fd, struct conn *c, const char *data, size_t len) {
    ssize_t sent = send(fd, data, len, MSG_NOSIGNAL);
    if (sent < 0 && errno != EAGAIN) {
        close_conn(fd);
        return;
    }
    size_t done = sent < 0 ? 0 : (size_t) sent;
    if (done == len) {
        return;
    }
    if ((c->out = malloc(len - done)) == NULL) {
        close_conn(fd);
        return;
    }
    memcpy(c->out, data + done, len - done);
    c->out_len = len - done;
    c->out_off = 0;
    watch(fd, EPOLLOUT);
}

static void on_writable(int fd, struct conn *c) {
    ssize_t sent = send(fd, c->out + c->out_off, c->out_len - c->out_off, MSG_NOSIGNAL);
    if (sent < 0) {
        if (errno != EAGAIN) {
            close_conn(fd);
        }
        return;
    }
    c->out_off += (size_t) sent;
    if (c->out_off == c->out_len) {
        free(c->out);
        c->out = NULL;
        watch(fd, EPOLLIN);
    }
}

/* One recv, and what it brought sent straight back. */
static void on_readable(int fd, struct conn *c) {
    ssize_t got = recv(fd, in, sizeof in, 0);
    if (got <= 0) {
        if (got == 0 || errno != EAGAIN) {
            close_conn(fd); /* EOF or error */
        }
        return;
    }
    send_out(fd, c, in, (size_t) got);
}

static void accept_all(int listener) {
    for (;;) {
        int fd = accept4(listener, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            return; /* EAGAIN: all taken. Another error (EMFILE): LT reports the listener again. */
        }
        if (fd >= MAX_FDS || (conns[fd] = calloc(1, sizeof *conns[fd])) == NULL) {
            close(fd);
            continue;
        }
        int one = 1; /* as jepoll and Netty set it */
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        if (ctl(EPOLL_CTL_ADD, fd, EPOLLIN) < 0) {
            close_conn(fd);
        }
    }
}

static long now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* A whole non-negative decimal number (no sign, no junk), or -1. */
static long parse_count(const char *text) {
    char *end;
    errno = 0;
    long value = strtol(text, &end, 10);
    return text[0] >= '0' && text[0] <= '9' && *end == '\0' && errno == 0 ? value : -1;
}

int main(int argc, char **argv) {
    long port = argc >= 2 ? parse_count(argv[1]) : -1;
    long seconds = argc == 3 ? parse_count(argv[2]) : -1; /* -1: no deadline */
    if (argc < 2 || argc > 3 || port < 0 || port > 65535 || (argc == 3 && seconds < 0)) {
        fprintf(stderr, "usage: echo-floor PORT [SECONDS]\n");
        return 2;
    }

    /* The stop signals arrive as a readable fd, so the loop never races a handler. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    sigprocmask(SIG_BLOCK, &stop, NULL);
    int signals = signalfd(-1, &stop, SFD_NONBLOCK | SFD_CLOEXEC);

    int listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int one = 1;
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t) port),
                               .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t addr_len = sizeof addr;
    ep = epoll_create1(EPOLL_CLOEXEC);
    if (signals < 0 || listener < 0 || ep < 0
            || setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0
            || bind(listener, (struct sockaddr *) &addr, sizeof addr) < 0 || listen(listener, 1024) < 0
            || getsockname(listener, (struct sockaddr *) &addr, &addr_len) < 0
            || ctl(EPOLL_CTL_ADD, listener, EPOLLIN) < 0 || ctl(EPOLL_CTL_ADD, signals, EPOLLIN) < 0) {
        fprintf(stderr, "echo-floor: cannot listen on 127.0.0.1:%ld: %s\n", port, strerror(errno));
        return 1;
    }
    printf("listening on 127.0.0.1:%d\n", ntohs(addr.sin_port));
    fflush(stdout);

    long deadline = seconds >= 0 ? now_ms() + seconds * 1000 : -1;
    struct epoll_event events[MAX_EVENTS];
    for (;;) {
        long left = deadline < 0 ? -1 : deadline - now_ms();
        if (deadline >= 0 && left <= 0) {
            return 0;
        }
        int n = epoll_wait(ep, events, MAX_EVENTS, left > 60000 ? 60000 : (int) left);
        if (n < 0 && errno != EINTR) {
            perror("echo-floor: epoll_wait");
            return 1;
        }
        int accept_ready = 0;
        for (int i = 0; i < n; i++) {
            int fd = events[i].data.fd;
            struct conn *c = conns[fd];
            if (fd == signals) {
                return 0;
            } else if (fd == listener) {
                accept_ready = 1;
            } else if (c == NULL) {
                /* closed earlier in this batch */
            } else if (events[i].events & (EPOLLERR | EPOLLHUP)) {
                close_conn(fd);
            } else if (events[i].events & EPOLLOUT) {
                on_writable(fd, c);
            } else if (events[i].events & EPOLLIN) {
                on_readable(fd, c);
            }
        }
        /* Accepting after the batch means no fd closed in it is reused by a new connection
         * while a stale event for the old one is still to be handled. */
        if (accept_ready) {
            accept_all(listener);
        }
    }
}
