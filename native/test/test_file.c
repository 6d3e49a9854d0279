/*
 * Regular files through the shim: opening, the size, positional reads, and the refusal of
 * what is not a regular file. Each case works in a directory of its own under /tmp.
 */
#define _GNU_SOURCE
#include "check.h"
#include "jepoll.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { FILE_SIZE = 100000 };

static char directory[64];
static char path[128];

static int64_t address_of(const void *pointer) {
    return (int64_t) (intptr_t) pointer;
}

static unsigned char pattern(long i) {
    return (unsigned char) (i * 7 + i / 251);
}

/* A directory of its own, holding "file" with FILE_SIZE bytes of pattern(). */
static void make_file(void) {
    strcpy(directory, "/tmp/jepoll-test-file-XXXXXX");
    CHECK(mkdtemp(directory) != NULL);
    snprintf(path, sizeof path, "%s/file", directory);
    FILE *out = fopen(path, "wb");
    CHECK(out != NULL);
    for (long i = 0; i < FILE_SIZE; i++) {
        fputc(pattern(i), out);
    }
    CHECK_EQ(fclose(out), 0);
}

static void remove_file(void) {
    CHECK_EQ(unlink(path), 0);
    CHECK_EQ(rmdir(directory), 0);
}

static void open_file_is_read_only_and_cloexec_and_knows_its_size(void) {
    make_file();
    int fd = jepoll_open_file(address_of(path));
    CHECK(fd >= 0);
    CHECK(fcntl(fd, F_GETFD) & FD_CLOEXEC);
    CHECK_EQ(fcntl(fd, F_GETFL) & O_ACCMODE, O_RDONLY);
    CHECK_EQ(jepoll_file_size(fd), FILE_SIZE);
    CHECK_EQ(write(fd, "x", 1), -1);
    CHECK_EQ(jepoll_close(fd), 0);
    remove_file();
}

static void pread_reads_at_the_offset_without_moving_the_file_position(void) {
    make_file();
    int fd = jepoll_open_file(address_of(path));
    unsigned char buffer[300];
    CHECK_EQ(jepoll_pread(fd, address_of(buffer), (int) sizeof buffer, 5000), sizeof buffer);
    int same = 1;
    for (int i = 0; i < (int) sizeof buffer; i++) {
        same &= buffer[i] == pattern(5000 + i);
    }
    CHECK(same);
    CHECK_EQ(lseek(fd, 0, SEEK_CUR), 0);
    CHECK_EQ(jepoll_pread(fd, address_of(buffer), (int) sizeof buffer, FILE_SIZE - 10), 10);
    CHECK_EQ(jepoll_pread(fd, address_of(buffer), (int) sizeof buffer, FILE_SIZE), 0);
    CHECK_EQ(jepoll_pread(fd, address_of(buffer), -1, 0), -EINVAL);
    CHECK_EQ(jepoll_pread(fd, address_of(buffer), 1, -1), -EINVAL);
    CHECK_EQ(jepoll_close(fd), 0);
    remove_file();
}

static void a_directory_opens_but_has_no_size(void) {
    make_file();
    int fd = jepoll_open_file(address_of(directory));
    CHECK(fd >= 0);
    CHECK_EQ(jepoll_file_size(fd), -EISDIR);
    CHECK_EQ(jepoll_close(fd), 0);
    remove_file();
}

/* A blocking open of a fifo would wait for a writer for ever: this case would time out. */
static void a_fifo_opens_at_once_but_has_no_size(void) {
    make_file();
    char fifo[160];
    snprintf(fifo, sizeof fifo, "%s/fifo", directory);
    CHECK_EQ(mkfifo(fifo, 0600), 0);
    int fd = jepoll_open_file(address_of(fifo));
    CHECK(fd >= 0);
    CHECK_EQ(jepoll_file_size(fd), -EINVAL);
    CHECK_EQ(jepoll_close(fd), 0);
    CHECK_EQ(unlink(fifo), 0);
    remove_file();
}

static void a_missing_file_is_enoent_and_a_bad_fd_ebadf(void) {
    CHECK_EQ(jepoll_open_file(address_of("/nonexistent/jepoll/file")), -ENOENT);
    CHECK_EQ(jepoll_file_size(-1), -EBADF);
    char byte;
    CHECK_EQ(jepoll_pread(-1, address_of(&byte), 1, 0), -EBADF);
}

int main(void) {
    TEST(open_file_is_read_only_and_cloexec_and_knows_its_size);
    TEST(pread_reads_at_the_offset_without_moving_the_file_position);
    TEST(a_directory_opens_but_has_no_size);
    TEST(a_fifo_opens_at_once_but_has_no_size);
    TEST(a_missing_file_is_enoent_and_a_bad_fd_ebadf);
    return check_exit_code();
}
