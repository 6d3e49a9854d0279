/*
 * replay.c: main() for a fuzz harness built without libFuzzer (gcc has none), which is how
 * every ctest run, plain and sanitized, checks the committed corpus. Usage:
 *   fuzz_<name>_replay DIRECTORY|FILE...
 * Runs LLVMFuzzerTestOneInput on a few built-in inputs, then on every file of each directory
 * in name order, so that runs repeat exactly. Each input sits in an allocation of exactly its
 * size, as libFuzzer gives it, so ASan sees a harness read past it. A property that fails
 * aborts; a missing, empty or unreadable corpus exits 1, so a wrong path cannot pass.
 */
#define _POSIX_C_SOURCE 200809L

#include "fuzz.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

static int inputs;

static void run(const uint8_t *bytes, size_t size, const char *name) {
    printf("input %s (%zu bytes)\n", name, size);
    fflush(stdout); /* the last name printed is the one that failed */
    uint8_t *copy = malloc(size); /* glibc's malloc(0) is a pointer to no bytes, like libFuzzer's */
    FUZZ_CHECK(copy != NULL);
    memcpy(copy, bytes, size);
    LLVMFuzzerTestOneInput(copy, size);
    free(copy);
    inputs++;
}

/* Degenerate inputs every harness must take whatever its format: none, all zeros, all ones,
 * and one longer than any seed. */
static void run_built_in(void) {
    static uint8_t bytes[4096];
    run(bytes, 0, "built-in: empty");
    run(bytes, 64, "built-in: 64 zero bytes");
    memset(bytes, 0xFF, sizeof bytes);
    run(bytes, 64, "built-in: 64 0xFF bytes");
    for (size_t i = 0; i < sizeof bytes; i++) {
        bytes[i] = (uint8_t) i;
    }
    run(bytes, sizeof bytes, "built-in: 4096 bytes counting up");
}

static int run_file(const char *path) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) < 0) {
        perror(path);
        if (fd >= 0) {
            close(fd);
        }
        return -1;
    }
    size_t size = (size_t) st.st_size;
    uint8_t *bytes = malloc(size);
    FUZZ_CHECK(bytes != NULL);
    ssize_t n = read(fd, bytes, size);
    close(fd);
    if (n < 0 || (size_t) n != size) {
        fprintf(stderr, "%s: short read\n", path);
        free(bytes);
        return -1;
    }
    run(bytes, size, path);
    free(bytes);
    return 0;
}

static int not_hidden(const struct dirent *entry) {
    return entry->d_name[0] != '.';
}

/* The number of files run, or -1. */
static int run_directory(const char *directory) {
    struct dirent **entries;
    int count = scandir(directory, &entries, not_hidden, alphasort);
    if (count < 0) {
        perror(directory);
        return -1;
    }
    int files = 0;
    for (int i = 0; i < count; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", directory, entries[i]->d_name);
        struct stat st;
        if (files >= 0 && stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
            files = run_file(path) < 0 ? -1 : files + 1;
        }
        free(entries[i]);
    }
    free(entries);
    return files;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s DIRECTORY|FILE...\n", argv[0]);
        return 2;
    }
    run_built_in();
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
            int files = run_directory(argv[i]);
            if (files <= 0) {
                fprintf(stderr, "%s: %s\n", argv[i], files == 0 ? "no inputs" : "unreadable");
                return 1;
            }
        } else if (run_file(argv[i]) < 0) {
            return 1;
        }
    }
    printf("%d inputs, every property held\n", inputs);
    return 0;
}
