/*
 * How jepoll_epoll_wait fills the caller's event records: max_events checked against
 * 1..JEPOLL_MAX_EVENTS, each event's fd, events and tag at the offsets jepoll.h documents,
 * and nothing written past the last record it returns.
 *
 * The registered fds are eventfds, whose readiness is fixed and known without any I/O:
 * the even ones hold a count (readable and writable), the odd ones do not (writable only).
 *
 * Input:
 *   bytes 0..3   int32 max_events, as is
 *   then         6 bytes per registration: eventfd index (mod FDS); interest, bit 0 up:
 *                IN, OUT, PRI, RDHUP, ET, ONESHOT; int32 tag
 * Properties:
 *   - max_events outside 1..JEPOLL_MAX_EVENTS is -EINVAL and writes nothing;
 *   - registering an fd twice is -EEXIST, so its first interest and tag stand;
 *   - otherwise the wait returns min(max_events, registrations whose interest meets their
 *     readiness) records, each of them one such registration, at most once, with its fd, its
 *     tag and exactly the ready events it asked for;
 *   - the records go to an allocation of exactly max_events records (ASan), and the bytes
 *     after the last one returned keep their canary.
 */

/* First, as it defines _GNU_SOURCE; included so that libFuzzer instruments it with the harness. */
#include "epoll.c"

#include "fuzz.h"

enum { FDS = 32, REGISTRATION = 6, CANARY = 0xA5 };

static const uint32_t interest_bits[] = {
    JEPOLL_EPOLLIN, JEPOLL_EPOLLOUT, JEPOLL_EPOLLPRI,
    JEPOLL_EPOLLRDHUP, JEPOLL_EPOLLET, JEPOLL_EPOLLONESHOT,
};

/* Opened once for the whole run: nothing here changes their counts. */
static int eventfds[FDS];
static int opened;

static void open_eventfds(void) {
    for (int i = 0; i < FDS; i++) {
        eventfds[i] = jepoll_eventfd();
        FUZZ_CHECK(eventfds[i] >= 0);
        if (i % 2 == 0) {
            FUZZ_CHECK(jepoll_eventfd_write(eventfds[i], 1) == 0);
        }
    }
    opened = 1;
}

static uint32_t readiness(int index) {
    return index % 2 == 0 ? JEPOLL_EPOLLIN | JEPOLL_EPOLLOUT : JEPOLL_EPOLLOUT;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!opened) {
        open_eventfds();
    }
    uint8_t head[4] = {0};
    memcpy(head, data, size < 4 ? size : 4);
    int32_t max_events = fuzz_load_i32(head);

    int epfd = jepoll_epoll_create();
    FUZZ_CHECK(epfd >= 0);
    int registered[FDS] = {0};
    uint32_t expected_events[FDS] = {0};
    int32_t tags[FDS] = {0};
    int ready = 0;
    for (size_t at = 4; at + REGISTRATION <= size; at += REGISTRATION) {
        int index = data[at] % FDS;
        uint32_t interest = 0;
        for (size_t bit = 0; bit < sizeof interest_bits / sizeof *interest_bits; bit++) {
            if (data[at + 1] & (1u << bit)) {
                interest |= interest_bits[bit];
            }
        }
        int32_t tag = fuzz_load_i32(data + at + 2);
        int rc = jepoll_epoll_ctl(epfd, JEPOLL_EPOLL_CTL_ADD, eventfds[index], interest, tag);
        if (registered[index]) {
            FUZZ_CHECK(rc == -EEXIST);
            continue;
        }
        FUZZ_CHECK(rc == 0);
        registered[index] = 1;
        tags[index] = tag;
        expected_events[index] = readiness(index) & interest;
        ready += expected_events[index] != 0;
    }

    int valid = max_events >= 1 && max_events <= JEPOLL_MAX_EVENTS;
    size_t bytes = (size_t) (valid ? max_events : 1) * JEPOLL_EVENT_SIZE;
    uint8_t *records = malloc(bytes);
    FUZZ_CHECK(records != NULL);
    memset(records, CANARY, bytes);
    int n = jepoll_epoll_wait(epfd, fuzz_address_of(records), max_events, 0);
    int expected_n = !valid ? -EINVAL : ready < max_events ? ready : max_events;
    FUZZ_CHECK(n == expected_n);

    int reported[FDS] = {0};
    for (int i = 0; i < n; i++) {
        const uint8_t *record = records + (size_t) i * JEPOLL_EVENT_SIZE;
        int32_t fd = fuzz_load_i32(record);
        uint32_t events;
        memcpy(&events, record + 4, sizeof events);
        int index = 0;
        while (index < FDS && eventfds[index] != fd) {
            index++;
        }
        FUZZ_CHECK(index < FDS && registered[index] && !reported[index]);
        reported[index] = 1;
        FUZZ_CHECK(events == expected_events[index]);
        FUZZ_CHECK(fuzz_load_i32(record + 8) == tags[index]);
    }
    for (size_t i = (size_t) (n > 0 ? n : 0) * JEPOLL_EVENT_SIZE; i < bytes; i++) {
        FUZZ_CHECK(records[i] == CANARY);
    }
    free(records);
    FUZZ_CHECK(close(epfd) == 0);
    return 0;
}
