#define _GNU_SOURCE
#include "jepoll.h"

#include <string.h>

/* glibc's own tables (2.32+): thread-safe, no buffer, and never out of date. */
const char *jepoll_errno_name(int errnum) {
    return strerrorname_np(errnum);
}

const char *jepoll_errno_text(int errnum) {
    return strerrordesc_np(errnum);
}
