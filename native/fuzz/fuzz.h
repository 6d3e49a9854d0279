/*
 * fuzz.h: what the harnesses and replay.c share. A failed FUZZ_CHECK prints the property and
 * aborts, which libFuzzer reports as a crash (keeping the input) and ctest as a failed test.
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond) do { if (!(cond)) fuzz_fail(__FILE__, __LINE__, #cond); } while (0)

static _Noreturn inline void fuzz_fail(const char *file, int line, const char *expression) {
    fprintf(stderr, "%s:%d: property failed: %s\n", file, line, expression);
    abort();
}

static inline int64_t fuzz_address_of(const void *pointer) {
    return (int64_t) (intptr_t) pointer;
}

/* Fields of the input and of jepoll.h's layouts are native byte order at any alignment. */
static inline int32_t fuzz_load_i32(const uint8_t *bytes) {
    int32_t value;
    memcpy(&value, bytes, sizeof value);
    return value;
}

static inline void fuzz_store_i32(uint8_t *bytes, int32_t value) {
    memcpy(bytes, &value, sizeof value);
}

#endif
