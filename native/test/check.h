/*
 * check.h: a minimal test harness. CHECK* record a failure and carry on; TEST(fn) runs one
 * case and prints "ok fn", "FAIL fn" or "skip fn: why"; main returns check_exit_code().
 */
#ifndef CHECK_H
#define CHECK_H

#include <stdio.h>
#include <string.h>

static int check_failures;
static const char *check_skip_reason;

static inline void check_fail(const char *file, int line, const char *expression) {
    fprintf(stderr, "%s:%d: failed: %s\n", file, line, expression);
    check_failures++;
}

#define CHECK(cond) do { if (!(cond)) check_fail(__FILE__, __LINE__, #cond); } while (0)

#define CHECK_EQ(a, b) do {                                                             \
        long long check_a = (long long) (a), check_b = (long long) (b);                 \
        if (check_a != check_b) {                                                       \
            check_fail(__FILE__, __LINE__, #a " == " #b);                               \
            fprintf(stderr, "    %lld != %lld\n", check_a, check_b);                    \
        }                                                                               \
    } while (0)

#define CHECK_STR_EQ(a, b) do {                                                         \
        const char *check_a = (a), *check_b = (b);                                      \
        if (check_a == NULL || check_b == NULL || strcmp(check_a, check_b) != 0) {      \
            check_fail(__FILE__, __LINE__, #a " == " #b);                               \
            fprintf(stderr, "    \"%s\" != \"%s\"\n", check_a ? check_a : "(null)",     \
                    check_b ? check_b : "(null)");                                      \
        }                                                                               \
    } while (0)

/* For a case that cannot run on this machine (no IPv6, say): call it, then return. */
static inline void check_skip(const char *reason) { check_skip_reason = reason; }

static inline void check_run(const char *name, void (*test)(void)) {
    int failures_before = check_failures;
    check_skip_reason = NULL;
    test();
    if (check_failures != failures_before) printf("FAIL %s\n", name);
    else if (check_skip_reason != NULL) printf("skip %s: %s\n", name, check_skip_reason);
    else printf("ok %s\n", name);
    fflush(stdout); /* keeps verdicts in order with the failure lines on stderr */
}

#define TEST(fn) check_run(#fn, fn)

static inline int check_exit_code(void) {
    printf("%d failure(s)\n", check_failures);
    return check_failures == 0 ? 0 : 1;
}

#endif
