#ifndef DOLBOM_SYSTEM_H
#define DOLBOM_SYSTEM_H

/// Atomically exchanges two paths (Linux renameat2 with RENAME_EXCHANGE).
/// Returns 0 on success, or -1 with errno set (ENOSYS/EINVAL where the file system cannot).
int dolbom_exchange_paths(const char *a, const char *b);

#endif
