/*
 * echo-load: the echo load runs' load generator in C, so that it costs less CPU than the
 * server it measures. It is the ping-pong of io.jepoll.benchmarks.load.EchoLoad, on one
 * thread and one epoll set: each connection sends a message, waits until exactly those bytes
 * have come back, and sends the next. Every echoed byte is checked against what was sent: a
 * message carries a per-connection pattern and, in its first bytes, the round trip's sequence
 * number, so a stale or misrouted echo is caught too.
 *
 *   echo-load --port P [--host 127.0.0.1] [--connections 64] [--size 64]
 *             [--warmup 2s] [--duration 5s]
 *
 * It connects every connection (each starts its ping-pong once open), waits until each has had
 * its first echo (30 s at most, else it fails), runs the warm-up, marks
 * the measured window on stderr with "echo-load: measuring" and "echo-load: measured" as it
 * opens and closes (a script samples the server's CPU time then), lets every connection finish
 * the round trip it has in flight, and prints EchoLoad's result line on stdout:
 *
 *   echo connections=64 size=64 roundtrips=.. seconds=5.000 roundtrips_per_second=.. p50_us=..
 *       p99_us=.. p999_us=.. max_us=.. total_roundtrips=.. errors=0 cpu_percent=..
 *
 * with, last, its own CPU time over the measured window in per cent of one CPU (a reader of
 * /proc could miss it: once the server is quick, the client is gone right after its last mark).
 * Exit status 0 when at least one round trip was measured and no error happened (an echo that
 * differs, a connection the server closed, a last round trip not back within 5 s), 1 otherwise,
 * 2 for a usage error. Latencies go into a log-linear histogram of 64 steps per power of two
 * (within 1.6 %), each reported as the highest value of its step, as HdrHistogram does.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum {
    MAX_EVENTS = 256,
    READ_CAP = 65536,
    MAX_SIZE = 1 << 20,
    ERRORS_DESCRIBED = 5, /* failures described on stderr one by one; the rest are only counted */
    SUB_BITS = 6,         /* histogram steps per power of two: 2^6 */
    BUCKETS = 4096,
};

static const long CONNECT_BOUND_NS = 30L * 1000000000L; /* every connection open, or the run fails */
static const long DRAIN_BOUND_NS = 5L * 1000000000L;    /* the last round trips back, or they are errors */

enum phase { CONNECTING, WARMUP, MEASURE, DRAIN };

struct conn {
    int fd;
    int index;
    int open;     /* connected, and not yet closed */
    int finished; /* closed on purpose, or after an error already counted */
    uint64_t sequence;
    size_t sent, received; /* of the message in flight */
    long sent_at;
    unsigned char *message;
};

static int ep;
static size_t size = 64;
static enum phase phase = CONNECTING;
static long errors, total_roundtrips, measured_roundtrips;
static int opened, echoed, closed, failed_unopened; /* connections so far; echoed: their first round trip back */
static uint64_t histogram[BUCKETS];
static unsigned char scratch[READ_CAP];

static long now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

static int bucket_of(uint64_t value) {
    if (value < (2u << SUB_BITS)) {
        return (int) value;
    }
    int shift = 63 - __builtin_clzll(value) - SUB_BITS;
    int index = (2 << SUB_BITS) + (shift - 1) * (1 << SUB_BITS) + (int) ((value >> shift) - (1u << SUB_BITS));
    return index < BUCKETS ? index : BUCKETS - 1;
}

/* The highest value that falls into the bucket. */
static uint64_t highest_of(int index) {
    if (index < (2 << SUB_BITS)) {
        return (uint64_t) index;
    }
    int shift = (index - (2 << SUB_BITS)) / (1 << SUB_BITS) + 1;
    uint64_t step = (uint64_t) ((index - (2 << SUB_BITS)) % (1 << SUB_BITS) + (1 << SUB_BITS));
    return ((step + 1) << shift) - 1;
}

static double percentile_us(double percent) {
    uint64_t count = 0;
    for (int i = 0; i < BUCKETS; i++) {
        count += histogram[i];
    }
    if (count == 0) {
        return 0;
    }
    uint64_t wanted = (uint64_t) (percent / 100.0 * (double) count + 0.5);
    wanted = wanted < 1 ? 1 : wanted;
    uint64_t seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
        seen += histogram[i];
        if (seen >= wanted) {
            return (double) highest_of(i) / 1000.0;
        }
    }
    return (double) highest_of(BUCKETS - 1) / 1000.0;
}

static void error(struct conn *c, const char *what) {
    errors++;
    if (errors <= ERRORS_DESCRIBED) {
        fprintf(stderr, "echo-load: connection %d, round trip %llu: %s\n", c->index,
                (unsigned long long) c->sequence, what);
    }
}

static void close_conn(struct conn *c) {
    c->finished = 1;
    failed_unopened += !c->open;
    c->open = 0;
    closed++;
    close(c->fd); /* also removes it from the epoll set */
}

static void fail(struct conn *c, const char *what) {
    error(c, what);
    close_conn(c);
}

static int watch(struct conn *c, uint32_t events) {
    struct epoll_event ev = {.events = events, .data.ptr = c};
    return epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
}

/* Sends what is left of the message; waits for EPOLLOUT while the socket takes less. */
static void send_rest(struct conn *c) {
    ssize_t n = send(c->fd, c->message + c->sent, size - c->sent, MSG_NOSIGNAL);
    if (n < 0 && errno != EAGAIN) {
        fail(c, strerror(errno));
        return;
    }
    c->sent += n < 0 ? 0 : (size_t) n;
    if (watch(c, c->sent < size ? EPOLLIN | EPOLLOUT : EPOLLIN) < 0) {
        fail(c, "epoll_ctl failed");
    }
}

/* The next round trip, stamped with its sequence number; after the measured window, the end. */
static void send_next(struct conn *c) {
    if (phase == DRAIN) {
        close_conn(c);
        return;
    }
    uint64_t stamp = ++c->sequence;
    for (size_t i = 0; i < 8 && i < size; i++) {
        c->message[i] = (unsigned char) (stamp >> (8 * i));
    }
    c->sent = 0;
    c->received = 0;
    c->sent_at = now_ns();
    send_rest(c);
}

static void on_connected(struct conn *c) {
    int problem = 0;
    socklen_t length = sizeof problem;
    if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &problem, &length) < 0 || problem != 0) {
        fail(c, problem != 0 ? strerror(problem) : "connect failed");
        return;
    }
    c->open = 1;
    opened++;
    send_next(c);
}

static void on_readable(struct conn *c) {
    ssize_t got = recv(c->fd, scratch, sizeof scratch, 0);
    if (got <= 0) {
        if (got == 0 || errno != EAGAIN) {
            fail(c, got == 0 ? "the server closed the connection" : strerror(errno));
        }
        return;
    }
    size_t n = (size_t) got;
    if (n > c->sent - c->received) {
        fail(c, "more bytes than were sent");
        return;
    }
    if (memcmp(scratch, c->message + c->received, n) != 0) {
        fail(c, "an echoed byte differs from the one sent");
        return;
    }
    c->received += n;
    if (c->received < size) {
        return;
    }
    total_roundtrips++;
    echoed += c->sequence == 1;
    if (phase == MEASURE) {
        measured_roundtrips++;
        long took = now_ns() - c->sent_at;
        histogram[bucket_of(took < 0 ? 0 : (uint64_t) took)]++;
    }
    send_next(c);
}

static int connect_all(struct conn *conns, int count, struct sockaddr_in *server) {
    for (int i = 0; i < count; i++) {
        struct conn *c = &conns[i];
        c->index = i;
        c->message = malloc(size);
        c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (c->message == NULL || c->fd < 0) {
            fprintf(stderr, "echo-load: connection %d: %s\n", i, strerror(errno));
            return -1;
        }
        for (size_t b = 0; b < size; b++) {
            c->message[b] = (unsigned char) (i * 131 + b * 7 + 1);
        }
        int one = 1; /* a message is one send: Nagle would only delay it */
        setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        struct epoll_event ev = {.events = EPOLLOUT, .data.ptr = c};
        if ((connect(c->fd, (struct sockaddr *) server, sizeof *server) < 0 && errno != EINPROGRESS)
                || epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev) < 0) {
            fprintf(stderr, "echo-load: cannot connect to %s:%d: %s\n", inet_ntoa(server->sin_addr),
                    ntohs(server->sin_port), strerror(errno));
            return -1;
        }
    }
    return 0;
}

/*
 * Whether the phase has nothing left to wait for: connecting, every connection's first echo back
 * (or the connection failed); draining, every connection closed. Connecting waits for the first
 * echo, not for connect() alone: past a full accept queue the kernel drops the handshake's last
 * ACK, the client side counts as connected, and the server sees the connection only when a
 * retransmission gets through, seconds later.
 */
static int phase_done(int count) {
    return (phase == CONNECTING && echoed + failed_unopened == count) || (phase == DRAIN && closed == count);
}

static long cpu_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

/* Handles events until the deadline, or until the phase is done. */
static void run_until(long deadline, int count) {
    struct epoll_event events[MAX_EVENTS];
    for (long left = deadline - now_ns(); left > 0 && !phase_done(count); left = deadline - now_ns()) {
        int n = epoll_wait(ep, events, MAX_EVENTS, (int) ((left + 999999) / 1000000));
        for (int i = 0; i < n; i++) {
            struct conn *c = events[i].data.ptr;
            if (c->finished) {
                continue; /* closed earlier in this batch */
            }
            if (!c->open) {
                on_connected(c);
            } else if (events[i].events & EPOLLIN) {
                on_readable(c);
            } else if (events[i].events & EPOLLOUT) {
                send_rest(c);
            } else if (events[i].events & (EPOLLERR | EPOLLHUP)) {
                fail(c, "socket error");
            }
        }
    }
}

/* Seconds in "5s", "500ms", "2m" or "5"; -1 when it is none of those. */
static double parse_seconds(const char *text) {
    char *end;
    errno = 0;
    double value = strtod(text, &end);
    if (text[0] < '0' || text[0] > '9' || errno != 0) {
        return -1;
    }
    if (strcmp(end, "") == 0 || strcmp(end, "s") == 0) {
        return value;
    }
    return strcmp(end, "ms") == 0 ? value / 1000 : strcmp(end, "m") == 0 ? value * 60 : -1;
}

static long parse_count(const char *text) {
    char *end;
    errno = 0;
    long value = strtol(text, &end, 10);
    return text[0] >= '0' && text[0] <= '9' && *end == '\0' && errno == 0 ? value : -1;
}

static int usage(const char *problem) {
    fprintf(stderr, "echo-load: %s\nusage: echo-load --port P [--host 127.0.0.1] [--connections 64] [--size 64]"
            " [--warmup 2s] [--duration 5s]\n", problem);
    return 2;
}

int main(int argc, char **argv) {
    const char *host = "127.0.0.1";
    long port = -1, connections = 64, message_size = 64;
    double warmup = 2, duration = 5;
    for (int i = 1; i < argc; i++) {
        const char *option = argv[i];
        if (i + 1 == argc) {
            return usage(strcmp(option, "--help") == 0 ? "ping-pong echo load" : "an option without its value");
        }
        const char *value = argv[++i];
        if (strcmp(option, "--host") == 0) {
            host = value;
        } else if (strcmp(option, "--port") == 0) {
            port = parse_count(value);
        } else if (strcmp(option, "--connections") == 0) {
            connections = parse_count(value);
        } else if (strcmp(option, "--size") == 0) {
            message_size = parse_count(value);
        } else if (strcmp(option, "--warmup") == 0) {
            warmup = parse_seconds(value);
        } else if (strcmp(option, "--duration") == 0) {
            duration = parse_seconds(value);
        } else {
            return usage("unknown option");
        }
    }
    struct sockaddr_in server = {.sin_family = AF_INET, .sin_port = htons((uint16_t) port)};
    if (port < 1 || port > 65535 || connections < 1 || connections > 1000000 || message_size < 1
            || message_size > MAX_SIZE || warmup < 0 || duration <= 0 || inet_pton(AF_INET, host, &server.sin_addr) != 1) {
        return usage("--port 1..65535, --connections >= 1, --size 1..1048576, --warmup >= 0, --duration > 0 and"
                     " --host an IPv4 address are needed");
    }
    size = (size_t) message_size;
    int count = (int) connections;
    struct conn *conns = calloc((size_t) count, sizeof *conns);
    ep = epoll_create1(EPOLL_CLOEXEC);
    if (conns == NULL || ep < 0 || connect_all(conns, count, &server) < 0) {
        return 1;
    }
    run_until(now_ns() + CONNECT_BOUND_NS, count);
    if (echoed < count) {
        fprintf(stderr, "echo-load: cannot connect to %s:%ld: %d of %d connections open, %d echoed within %lds\n",
                host, port, opened, count, echoed, CONNECT_BOUND_NS / 1000000000L);
        return 1;
    }
    fprintf(stderr, "echo-load: %d connections to %s:%ld (C client, %zu-byte messages); warming up %gs\n", count, host,
            port, size, warmup);
    phase = WARMUP;
    run_until(now_ns() + (long) (warmup * 1e9), count);
    phase = MEASURE;
    long start = now_ns();
    long cpu_start = cpu_ns();
    fprintf(stderr, "echo-load: measuring %gs\n", duration);
    run_until(start + (long) (duration * 1e9), count);
    phase = DRAIN;
    long end = now_ns();
    long cpu_end = cpu_ns();
    fprintf(stderr, "echo-load: measured\n");
    run_until(end + DRAIN_BOUND_NS, count);
    for (int i = 0; i < count; i++) {
        if (!conns[i].finished) {
            fail(&conns[i], "no echo within 5s of the end");
        }
    }
    if (errors > ERRORS_DESCRIBED) {
        fprintf(stderr, "echo-load: ... and %ld more errors\n", errors - ERRORS_DESCRIBED);
    }
    double seconds = (double) (end - start) / 1e9;
    printf("echo connections=%d size=%zu roundtrips=%ld seconds=%.3f roundtrips_per_second=%.1f p50_us=%.1f"
           " p99_us=%.1f p999_us=%.1f max_us=%.1f total_roundtrips=%ld errors=%ld cpu_percent=%.1f\n", count, size,
           measured_roundtrips, seconds, (double) measured_roundtrips / seconds, percentile_us(50), percentile_us(99),
           percentile_us(99.9), percentile_us(100), total_roundtrips, errors,
           (double) (cpu_end - cpu_start) * 100.0 / (double) (end - start));
    fflush(stdout);
    for (int i = 0; i < count; i++) {
        free(conns[i].message);
    }
    free(conns);
    return errors == 0 && measured_roundtrips > 0 ? 0 : 1;
}
