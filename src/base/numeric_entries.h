/* Walking the numeric entries of a /proc directory (pids, fds) without
 * opendir: musl's DIR is malloc'd, and gracefulinit links no allocator. */
#ifndef GRACEFULINIT_NUMERIC_ENTRIES_H
#define GRACEFULINIT_NUMERIC_ENTRIES_H

/* Calls fn for every entry of path whose name is a decimal number; fn
 * returning non-zero stops the walk. When dir_fd is not NULL it receives the
 * directory's own descriptor before the first call, so that a walk over
 * /proc/self/fd can tell it apart; it is closed when the walk ends. Returns
 * 0, or -1 with errno set when the directory cannot be read. */
int numeric_entries_each(const char *path, int (*fn)(long number, void *ctx), void *ctx, int *dir_fd);

#endif
