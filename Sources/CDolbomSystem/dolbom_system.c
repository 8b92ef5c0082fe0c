#define _GNU_SOURCE
#include "dolbom_system.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif
#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE (1 << 0)
#endif

int dolbom_exchange_paths(const char *a, const char *b) {
#if defined(__linux__) && defined(SYS_renameat2)
    return (int)syscall(SYS_renameat2, AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE);
#else
    errno = ENOSYS;
    return -1;
#endif
}

int dolbom_rename_noreplace(const char *from, const char *to) {
#if defined(__linux__) && defined(SYS_renameat2)
    if (syscall(SYS_renameat2, AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0) return 0;
    if (errno != EINVAL && errno != ENOSYS) return -1;
#endif
    if (link(from, to) != 0) return -1;
    unlink(from);
    return 0;
}

int dolbom_start_writeback(int fd, long long offset, long long length) {
#if defined(__linux__) && defined(SYNC_FILE_RANGE_WRITE)
    return sync_file_range(fd, (off_t)offset, (off_t)length, SYNC_FILE_RANGE_WRITE);
#else
    (void)fd; (void)offset; (void)length;
    errno = ENOSYS;
    return -1;
#endif
}

int dolbom_set_direct_io(int fd, int on) {
#if defined(__linux__) && defined(O_DIRECT)
    int flags = fcntl(fd, F_GETFL);
    if (flags < 0) return -1;
    return fcntl(fd, F_SETFL, on ? (flags | O_DIRECT) : (flags & ~O_DIRECT));
#else
    (void)fd; (void)on;
    errno = ENOSYS;
    return -1;
#endif
}

#if defined(__GLIBC__)
#include <malloc.h>
#include <limits.h>
int dolbom_keep_freed_memory(void) {
    /* Blocks under 32 MB (glibc's largest threshold) come from the heap, not from mappings of their own
       returned on free; blocks above (the run's few big arrays) still are, so their memory goes back. */
    int a = mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
    int b = mallopt(M_TRIM_THRESHOLD, INT_MAX);
    return a == 1 && b == 1;
}
#else
int dolbom_keep_freed_memory(void) { return 0; }
#endif

void *dolbom_memmem(const void *hay, size_t hay_length, const void *needle, size_t needle_length) {
    return memmem(hay, hay_length, needle, needle_length);
}
