/*
 * The Unix socket address conversion of socket.c: to_sockaddr_un reads the path bytes and
 * length Java passes to jepoll_unix_bind and jepoll_unix_connect; from_sockaddr_un writes the
 * path that jepoll_unix_local_path and jepoll_unix_peer_path return.
 *
 * Input: all of it is a path of that many bytes, and also (zero-padded when short) a struct
 * sockaddr_un as the kernel might fill it, with the input's length as its length. Properties:
 *   - an empty path is -EINVAL; a pathname (first byte not NUL) over JEPOLL_UNIX_PATH_MAX
 *     bytes, or an abstract name (first byte NUL) over one more, is -ENAMETOOLONG; a NUL
 *     inside a pathname is -EINVAL;
 *   - any other path becomes AF_UNIX with exactly its bytes in sun_path, every other byte
 *     zero, and a length that counts a pathname's NUL; it converts back to itself;
 *   - a sockaddr of a family other than AF_UNIX is -EAFNOSUPPORT; any other gives at most
 *     JEPOLL_UNIX_PATH_SIZE bytes, those of its sun_path, up to a pathname's first NUL;
 *   - nothing is read or written outside the path's bytes and the JEPOLL_UNIX_PATH_SIZE bytes
 *     written back: each sits at an odd address at the very end of its allocation.
 */
#include "socket.c"

#include "fuzz.h"

/* A copy of size bytes at an odd address, flush against the end of its allocation. */
static uint8_t *new_block(const uint8_t *bytes, size_t size) {
    uint8_t *block = malloc(1 + size);
    FUZZ_CHECK(block != NULL);
    memcpy(block + 1, bytes, size);
    return block + 1;
}

static void free_block(uint8_t *bytes) {
    free(bytes - 1);
}

static void check_path_to_sockaddr(const uint8_t *data, size_t size) {
    int length = size > 4096 ? 4096 : (int) size;
    uint8_t *path = new_block(data, (size_t) length);
    struct sockaddr_un converted;
    socklen_t converted_length = 0;
    int rc = to_sockaddr_un(fuzz_address_of(path), length, &converted, &converted_length);
    FUZZ_CHECK(memcmp(path, data, (size_t) length) == 0);
    free_block(path);
    if (length == 0) {
        FUZZ_CHECK(rc == -EINVAL);
        return;
    }
    int abstract = data[0] == 0;
    if (length > JEPOLL_UNIX_PATH_MAX + abstract) {
        FUZZ_CHECK(rc == -ENAMETOOLONG);
        return;
    }
    if (!abstract && memchr(data, 0, (size_t) length) != NULL) {
        FUZZ_CHECK(rc == -EINVAL);
        return;
    }
    FUZZ_CHECK(rc == 0);
    struct sockaddr_un expected;
    memset(&expected, 0, sizeof expected);
    expected.sun_family = AF_UNIX;
    memcpy(expected.sun_path, data, (size_t) length);
    FUZZ_CHECK(memcmp(&converted, &expected, sizeof expected) == 0);
    FUZZ_CHECK(converted_length == offsetof(struct sockaddr_un, sun_path) + (size_t) length + !abstract);

    uint8_t garbage[JEPOLL_UNIX_PATH_SIZE];
    memset(garbage, 0xA5, sizeof garbage);
    uint8_t *back = new_block(garbage, sizeof garbage);
    FUZZ_CHECK(from_sockaddr_un(&converted, converted_length, fuzz_address_of(back)) == length);
    FUZZ_CHECK(memcmp(back, data, (size_t) length) == 0);
    free_block(back);
}

static void check_sockaddr_to_path(const uint8_t *data, size_t size) {
    struct sockaddr_un given;
    memset(&given, 0, sizeof given);
    memcpy(&given, data, size < sizeof given ? size : sizeof given);
    socklen_t given_length = size < sizeof given ? (socklen_t) size : (socklen_t) sizeof given;
    uint8_t garbage[JEPOLL_UNIX_PATH_SIZE];
    memset(garbage, 0xA5, sizeof garbage);
    uint8_t *path = new_block(garbage, sizeof garbage);
    int rc = from_sockaddr_un(&given, given_length, fuzz_address_of(path));
    if (given.sun_family != AF_UNIX) {
        FUZZ_CHECK(rc == -EAFNOSUPPORT);
        FUZZ_CHECK(memcmp(path, garbage, sizeof garbage) == 0);
        free_block(path);
        return;
    }
    size_t offset = offsetof(struct sockaddr_un, sun_path);
    size_t available = given_length > offset ? given_length - offset : 0;
    FUZZ_CHECK(rc >= 0 && (size_t) rc <= available && rc <= JEPOLL_UNIX_PATH_SIZE);
    FUZZ_CHECK(memcmp(path, given.sun_path, (size_t) rc) == 0);
    FUZZ_CHECK(memcmp(path + rc, garbage, sizeof garbage - (size_t) rc) == 0);
    if (rc > 0 && given.sun_path[0] != 0) {
        FUZZ_CHECK(memchr(path, 0, (size_t) rc) == NULL);
    }
    free_block(path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static const uint8_t nothing[1];
    if (data == NULL) {
        data = nothing;
    }
    check_path_to_sockaddr(data, size);
    check_sockaddr_to_path(data, size);
    return 0;
}
