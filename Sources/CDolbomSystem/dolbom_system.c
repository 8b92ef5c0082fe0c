#define _GNU_SOURCE
#include "dolbom_system.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif

int dolbom_exchange_paths(const char *a, const char *b) {
#if defined(__linux__) && defined(SYS_renameat2)
    return (int)syscall(SYS_renameat2, AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE);
#else
    errno = ENOSYS;
    return -1;
#endif
}

/* A run at 1M rows holds over a gigabyte of small heap blocks: with 4 KiB pages that is some 650,000 page
   faults (a virtual machine pays well over a microsecond for each) and a TLB that misses on every hash table
   lookup. glibc reads its tunables only at start-up, hence the one re-execution, marked by DOLBOM_HEAP_PAGES
   so it cannot loop; DOLBOM_HEAP_PAGES=normal (or any value) keeps the default. */
void dolbom_prefer_huge_heap_pages(char *const argv[]) {
#if defined(__linux__)
    if (getenv("DOLBOM_HEAP_PAGES") != NULL) return;
    FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");
    if (f == NULL) return;
    char mode[128] = {0};
    size_t n = fread(mode, 1, sizeof mode - 1, f);
    fclose(f);
    mode[n] = 0;
    if (strstr(mode, "[madvise]") == NULL) return;  /* "always" needs no asking; "never" gives nothing */
    const char *old = getenv("GLIBC_TUNABLES");
    if (old != NULL && strstr(old, "glibc.malloc.hugetlb") != NULL) return;
    char tunables[1024];
    int written = old != NULL && *old != 0 ? snprintf(tunables, sizeof tunables, "%s:glibc.malloc.hugetlb=1", old)
                                           : snprintf(tunables, sizeof tunables, "glibc.malloc.hugetlb=1");
    if (written < 0 || (size_t)written >= sizeof tunables) return;
    char *saved = old != NULL ? strdup(old) : NULL;
    if (setenv("DOLBOM_HEAP_PAGES", "huge", 1) != 0 || setenv("GLIBC_TUNABLES", tunables, 1) != 0) { free(saved); return; }
    execv("/proc/self/exe", argv);
    /* Could not: carry on as we are, with the environment as it was (the marker stays, so no retry). */
    if (saved != NULL) setenv("GLIBC_TUNABLES", saved, 1); else unsetenv("GLIBC_TUNABLES");
    free(saved);
#else
    (void)argv;
#endif
}
