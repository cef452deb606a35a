/* Walking the numeric entries of a /proc directory (pids, fds) without
 * opendir: musl's DIR is malloc'd, and gracefulinit links no allocator. */
#ifndef GRACEFULINIT_NUMERIC_ENTRIES_H
#define GRACEFULINIT_NUMERIC_ENTRIES_H

/* Calls fn for every entry of path whose name is a decimal number; fn
 * returning non-zero stops the walk. skip_fd: the directory's own fd, passed
 * to fn's caller through *dir_fd when dir_fd is not NULL. Returns 0, or -1
 * with errno set when the directory cannot be read. */
int numeric_entries_each(const char *path, int (*fn)(long number, void *ctx), void *ctx, int *dir_fd);

#endif
