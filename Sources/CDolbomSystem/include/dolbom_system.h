#ifndef DOLBOM_SYSTEM_H
#define DOLBOM_SYSTEM_H

/// Atomically exchanges two paths (Linux renameat2 with RENAME_EXCHANGE).
/// Returns 0 on success, or -1 with errno set (ENOSYS/EINVAL where the file system cannot).
int dolbom_exchange_paths(const char *a, const char *b);

/// Starts the program again, once, with glibc's malloc asked to back its heap with transparent huge
/// pages (GLIBC_TUNABLES glibc.malloc.hugetlb=1), when the kernel gives them only to memory that asks
/// (`madvise` mode) and nobody chose otherwise. Returns when it did nothing or could not.
void dolbom_prefer_huge_heap_pages(char *const argv[]);

#endif
