/*
 * The socket-address conversion of socket.c: to_sockaddr reads the JEPOLL_ADDRESS_SIZE record
 * Java passes to bind and connect; from_sockaddr writes the one accept, local_address and
 * peer_address return.
 *
 * Input: bytes 0..27 are a record, the rest a struct sockaddr_storage as the kernel might fill
 * it (both zero-padded when short). Properties:
 *   - a record whose port is outside 0..65535 is -EINVAL; else one whose family is not 4 or 6
 *     is -EAFNOSUPPORT; the record itself is never written;
 *   - any other record becomes exactly the sockaddr built field by field below, every other
 *     byte of the storage zero, and converts back to itself, except that an IPv4 record comes
 *     back with scope_id and address bytes 4..15 zero (they are ignored);
 *   - a sockaddr of a family other than AF_INET and AF_INET6 is -EAFNOSUPPORT and leaves the
 *     record untouched; any other becomes the record built field by field below, which
 *     converts back to the same family, port, address and (IPv6) scope id; sin_zero and
 *     sin6_flowinfo have no place in the record and come back zero;
 *   - no conversion touches a byte outside a record's 28: each record sits at an odd address
 *     (UBSan reports a misaligned load) at the very end of its allocation (ASan reports a
 *     read or write past it).
 */

/* First, as it defines _GNU_SOURCE; included rather than linked because its conversions are
 * static, and the harness should test them as they are rather than a copy exported for it. */
#include "socket.c"

#include "fuzz.h"

#include <arpa/inet.h>

enum { RECORD = JEPOLL_ADDRESS_SIZE, OFFSET_PORT = 4, OFFSET_SCOPE = 8, OFFSET_BYTES = 12 };

/* A copy of bytes at an odd address, flush against the end of its allocation. */
static uint8_t *new_record(const uint8_t bytes[RECORD]) {
    uint8_t *block = malloc(1 + RECORD);
    FUZZ_CHECK(block != NULL);
    memcpy(block + 1, bytes, RECORD);
    return block + 1;
}

static void free_record(uint8_t *record) {
    free(record - 1);
}

static uint32_t load_u32(const uint8_t *bytes) {
    uint32_t value;
    memcpy(&value, bytes, sizeof value);
    return value;
}

/* The sockaddr a valid record stands for, written from jepoll.h's layout, not socket.c's. */
static socklen_t expected_sockaddr(const uint8_t record[RECORD], struct sockaddr_storage *out) {
    memset(out, 0, sizeof *out);
    uint16_t port = htons((uint16_t) fuzz_load_i32(record + OFFSET_PORT));
    if (fuzz_load_i32(record) == 4) {
        struct sockaddr_in *v4 = (struct sockaddr_in *) out;
        v4->sin_family = AF_INET;
        v4->sin_port = port;
        memcpy(&v4->sin_addr, record + OFFSET_BYTES, 4);
        return sizeof *v4;
    }
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *) out;
    v6->sin6_family = AF_INET6;
    v6->sin6_port = port;
    v6->sin6_scope_id = load_u32(record + OFFSET_SCOPE);
    memcpy(&v6->sin6_addr, record + OFFSET_BYTES, 16);
    return sizeof *v6;
}

static void check_record_to_sockaddr(const uint8_t bytes[RECORD]) {
    int32_t family = fuzz_load_i32(bytes), port = fuzz_load_i32(bytes + OFFSET_PORT);
    uint8_t *record = new_record(bytes);
    struct sockaddr_storage converted;
    socklen_t length = 0;
    int rc = to_sockaddr(fuzz_address_of(record), &converted, &length);
    FUZZ_CHECK(memcmp(record, bytes, RECORD) == 0);
    free_record(record);
    if (port < 0 || port > 65535) {
        FUZZ_CHECK(rc == -EINVAL);
        return;
    }
    if (family != 4 && family != 6) {
        FUZZ_CHECK(rc == -EAFNOSUPPORT);
        return;
    }
    FUZZ_CHECK(rc == 0);
    struct sockaddr_storage expected;
    FUZZ_CHECK(length == expected_sockaddr(bytes, &expected));
    FUZZ_CHECK(memcmp(&converted, &expected, sizeof expected) == 0);

    uint8_t canonical[RECORD], garbage[RECORD];
    memcpy(canonical, bytes, RECORD);
    if (family == 4) {
        memset(canonical + OFFSET_SCOPE, 0, 4);
        memset(canonical + OFFSET_BYTES + 4, 0, 12);
    }
    memset(garbage, 0xA5, RECORD);
    uint8_t *back = new_record(garbage);
    FUZZ_CHECK(from_sockaddr(&converted, fuzz_address_of(back)) == 0);
    FUZZ_CHECK(memcmp(back, canonical, RECORD) == 0);
    free_record(back);
}

static void check_sockaddr_to_record(const struct sockaddr_storage *given) {
    uint8_t garbage[RECORD];
    memset(garbage, 0xA5, RECORD);
    uint8_t *record = new_record(garbage);
    int rc = from_sockaddr(given, fuzz_address_of(record));
    if (given->ss_family != AF_INET && given->ss_family != AF_INET6) {
        FUZZ_CHECK(rc == -EAFNOSUPPORT);
        FUZZ_CHECK(memcmp(record, garbage, RECORD) == 0);
        free_record(record);
        return;
    }
    FUZZ_CHECK(rc == 0);
    uint8_t expected[RECORD] = {0};
    if (given->ss_family == AF_INET) {
        const struct sockaddr_in *v4 = (const struct sockaddr_in *) given;
        fuzz_store_i32(expected, 4);
        fuzz_store_i32(expected + OFFSET_PORT, ntohs(v4->sin_port));
        memcpy(expected + OFFSET_BYTES, &v4->sin_addr, 4);
    } else {
        const struct sockaddr_in6 *v6 = (const struct sockaddr_in6 *) given;
        fuzz_store_i32(expected, 6);
        fuzz_store_i32(expected + OFFSET_PORT, ntohs(v6->sin6_port));
        memcpy(expected + OFFSET_SCOPE, &v6->sin6_scope_id, 4);
        memcpy(expected + OFFSET_BYTES, &v6->sin6_addr, 16);
    }
    FUZZ_CHECK(memcmp(record, expected, RECORD) == 0);

    struct sockaddr_storage back, canonical;
    socklen_t length = 0;
    FUZZ_CHECK(to_sockaddr(fuzz_address_of(record), &back, &length) == 0);
    FUZZ_CHECK(length == expected_sockaddr(expected, &canonical));
    FUZZ_CHECK(memcmp(&back, &canonical, sizeof canonical) == 0);
    free_record(record);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    uint8_t record[RECORD] = {0};
    memcpy(record, data, size < RECORD ? size : RECORD);
    check_record_to_sockaddr(record);

    struct sockaddr_storage given;
    memset(&given, 0, sizeof given);
    if (size > RECORD) {
        size_t rest = size - RECORD;
        memcpy(&given, data + RECORD, rest < sizeof given ? rest : sizeof given);
    }
    check_sockaddr_to_record(&given);
    return 0;
}
