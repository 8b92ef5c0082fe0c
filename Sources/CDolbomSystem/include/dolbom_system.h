#ifndef DOLBOM_SYSTEM_H
#define DOLBOM_SYSTEM_H

#include <stddef.h>

/// Atomically exchanges two paths (Linux renameat2 with RENAME_EXCHANGE).
/// Returns 0 on success, or -1 with errno set (ENOSYS/EINVAL where the file system cannot).
int dolbom_exchange_paths(const char *a, const char *b);

/// Renames `from` to `to` only if nothing is at `to` (Linux renameat2 with RENAME_NOREPLACE; where the file
/// system cannot, link(2) then unlink(2) of `from`, just as exclusive). Returns 0, or -1 with errno set
/// (EEXIST when something is at `to`).
int dolbom_rename_noreplace(const char *from, const char *to);

/// glibc malloc for a batch run: blocks up to 32 MB from the heap rather than their own mappings, and
/// the heap's top never trimmed, so memory one stage frees is reused by the next without page faults.
/// Returns 1 when both settings took effect, 0 otherwise (a C library without mallopt: nothing done).
int dolbom_keep_freed_memory(void);

/// Starts writing `length` bytes of `fd` from `offset` out to the disk without waiting (Linux
/// sync_file_range with SYNC_FILE_RANGE_WRITE), so a big file's closing fsync has little left to wait
/// for. Returns 0, or -1 with errno set (ENOSYS where there is no such call: nothing is lost, fsync does it all).
int dolbom_start_writeback(int fd, long long offset, long long length);

/// Turns O_DIRECT on or off for `fd` (Linux fcntl F_SETFL): a big output file is then written from the
/// caller's aligned buffer straight to the disk, not copied into fresh page-cache memory first (on a VM
/// that hands freed memory back to its host, that copy costs about 2.5 s per GB). Returns 0, or -1 with
/// errno set (ENOSYS where there is no O_DIRECT; EINVAL where the file system refuses it).
int dolbom_set_direct_io(int fd, int on);

/// Asks the CPU to start loading the cache line at `p` (a hint: no fault, no effect on results).
/// For loops over pairs of rows in random order, where each row would otherwise wait for memory.
static inline __attribute__((always_inline)) void dolbom_prefetch(const void *p) { __builtin_prefetch(p, 0, 3); }

/// Where `needle` first stands in `hay`, or NULL (glibc memmem: a GNU extension the Swift Glibc module does
/// not show).
void *dolbom_memmem(const void *hay, size_t hay_length, const void *needle, size_t needle_length);

#endif
