/*
 * What io.c does with the lengths and the iov array Java passes: jepoll_writev's count and
 * (address, length) pairs, and the length of jepoll_write and jepoll_read, on an AF_UNIX
 * stream socketpair, so nothing leaves the process.
 *
 * Input:
 *   byte 0       bit 0 set: send segment 0 alone with jepoll_write; clear: jepoll_writev
 *   bytes 1..4   int32 count for jepoll_writev, as is
 *   bytes 5..6   int16 length for jepoll_read
 *   then         uint16 per segment: below 0xF000 a length of (v & 0xFFF) bytes; 0xF000 up
 *                to 0xFFFE a negative length, -1 down to -4095; 0xFFFF INT32_MIN
 * Segments the input does not describe are (NULL, 0). Each other one has an allocation of its
 * own, so that a mixed-up pair cannot pass for a right one, holding its part of a message
 * whose every byte depends on its offset, so that the receiver can tell a byte out of place;
 * a negative length comes with a 16-byte allocation, as a caller's bug would.
 *
 * Properties:
 *   - a count outside 1..1024 is -EINVAL, and the pairs are not read: the array is only as
 *     long as the input describes (ASan);
 *   - a negative length is -EINVAL, for jepoll_write and jepoll_read from the shim, for a
 *     segment of jepoll_writev from the kernel, and nothing is sent or received;
 *   - otherwise a send returns n with 0 < n <= total (n = 0 only for total = 0), n = total
 *     when total is at most 32 KiB, and the peer receives exactly the first n bytes of the
 *     segments in order, and not one more;
 *   - jepoll_read with length 0 returns 0 (or -EAGAIN when nothing is queued) and consumes
 *     nothing; a positive length reads 1..length bytes into an allocation of exactly length.
 */

/* First, as it defines _GNU_SOURCE; included so that libFuzzer instruments it with the harness. */
#include "io.c"

#include "fuzz.h"

#include <sys/socket.h>

enum {
    HEADER = 7,
    FITS = 32 * 1024,     /* far below the send buffer set below: always sent whole */
    SEND_BUFFER = 1 << 20,
    DEFAULT_READ = 4096,
    MESSAGE_MAX = 1024 * 0xFFF, /* 1024 segments of the longest length */
    WRONG_LENGTH_BUFFER = 16,
};

/* One socketpair for the whole run: each input leaves it empty, and opening one per input
 * would cost more than the calls under test. */
static int sender = -1, receiver = -1;

static void open_pair(void) {
    int fds[2];
    FUZZ_CHECK(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds) == 0);
    int size = SEND_BUFFER;
    FUZZ_CHECK(setsockopt(fds[0], SOL_SOCKET, SO_SNDBUF, &size, sizeof size) == 0);
    sender = fds[0];
    receiver = fds[1];
}

/* What the segments hold, end to end; filled once, as a function of the offset alone. */
static uint8_t *message;

static void fill_message(void) {
    message = malloc(MESSAGE_MAX);
    FUZZ_CHECK(message != NULL);
    for (uint32_t offset = 0; offset < MESSAGE_MAX; offset++) {
        message[offset] = (uint8_t) ((offset * 2654435761u) >> 24);
    }
}

static int64_t segment_length(const uint8_t *bytes) {
    uint16_t v;
    memcpy(&v, bytes, sizeof v);
    if (v < 0xF000) {
        return v & 0xFFF;
    }
    return v == 0xFFFF ? INT32_MIN : -(int64_t) (v - 0xEFFF);
}

/* Reads until -EAGAIN in pieces of chunk bytes, checking each against the message; returns
 * the bytes read. */
static size_t drain(int chunk) {
    uint8_t *buffer = malloc((size_t) chunk);
    FUZZ_CHECK(buffer != NULL);
    size_t total = 0;
    int n;
    while ((n = jepoll_read(receiver, fuzz_address_of(buffer), chunk)) > 0) {
        FUZZ_CHECK(n <= chunk && total + (size_t) n <= MESSAGE_MAX);
        FUZZ_CHECK(memcmp(buffer, message + total, (size_t) n) == 0);
        total += (size_t) n;
    }
    FUZZ_CHECK(n == -EAGAIN);
    free(buffer);
    return total;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (sender < 0) {
        open_pair();
        fill_message();
    }
    uint8_t header[HEADER] = {0};
    memcpy(header, data, size < HEADER ? size : HEADER);
    int use_write = header[0] & 1;
    int32_t count = fuzz_load_i32(header + 1);
    int16_t read_length;
    memcpy(&read_length, header + 5, sizeof read_length);
    size_t described = size > HEADER ? (size - HEADER) / 2 : 0;

    /* The shim reads count pairs when count is valid; else it must not read any. */
    int valid_count = use_write || (count >= 1 && count <= 1024);
    size_t segments = use_write ? 1 : valid_count ? (size_t) count : described;
    int64_t *pairs = malloc(segments * 2 * sizeof *pairs);
    FUZZ_CHECK(segments == 0 || pairs != NULL);
    size_t total = 0;
    int negative = 0;
    for (size_t i = 0; i < segments; i++) {
        int64_t length = i < described ? segment_length(data + HEADER + 2 * i) : 0;
        uint8_t *base = NULL;
        if (length > 0) {
            base = malloc((size_t) length);
            FUZZ_CHECK(base != NULL);
            memcpy(base, message + total, (size_t) length);
            total += (size_t) length;
        } else if (length < 0) {
            /* A real buffer with a wrong length, as a caller's bug would pass. */
            base = calloc(WRONG_LENGTH_BUFFER, 1);
            FUZZ_CHECK(base != NULL);
            negative = 1;
        }
        pairs[2 * i] = fuzz_address_of(base);
        pairs[2 * i + 1] = length;
    }

    int n = use_write ? jepoll_write(sender, pairs[0], (int) pairs[1])
                      : jepoll_writev(sender, fuzz_address_of(pairs), count);
    if (!valid_count || negative) {
        FUZZ_CHECK(n == -EINVAL);
    } else {
        FUZZ_CHECK(n >= 0 && (size_t) n <= total);
        FUZZ_CHECK((n == 0) == (total == 0));
        FUZZ_CHECK(total > FITS || (size_t) n == total);
    }

    size_t queued = n > 0 ? (size_t) n : 0;
    if (read_length <= 0) {
        /* Room for all that is queued: a read that should take nothing but does lands here,
         * and shows in rc and in the drain below, rather than overrunning memory. */
        uint8_t *landing = malloc(queued);
        FUZZ_CHECK(landing != NULL);
        int rc = jepoll_read(receiver, fuzz_address_of(landing), read_length);
        FUZZ_CHECK(rc == (read_length < 0 ? -EINVAL : queued > 0 ? 0 : -EAGAIN));
        free(landing);
    }
    FUZZ_CHECK(drain(read_length > 0 ? read_length : DEFAULT_READ) == queued);

    for (size_t i = 0; i < segments; i++) {
        free((void *) (intptr_t) pairs[2 * i]);
    }
    free(pairs);
    return 0;
}
