/* Whole files without stdio, whose FILE buffers come from malloc. One way for
 * each kind of file gracefulinit reads:
 * - /proc files are small, report a size of 0 and change between reads: one
 *   read into the caller's buffer, as the kernel builds them in one go;
 * - /etc files (passwd, group, hosts, resolv.conf) can be any size: mapped. */
#ifndef GRACEFULINIT_FILES_H
#define GRACEFULINIT_FILES_H

#include <stddef.h>
#include <sys/types.h>

/* Reads path into buf, at most size - 1 bytes, NUL-terminated. Returns the
 * length, or -1 with errno set (ENOENT: a process that has gone). */
ssize_t file_read(const char *path, char *buf, size_t size);

struct file_text {
	const char *text;
	size_t len;
};

/* Maps path read-only. A missing file is an empty text: scratch images may
 * have no /etc/group or /etc/hosts. Returns 0, or -1 with errno set. */
int file_map(const char *path, struct file_text *file);

void file_unmap(struct file_text *file);

/* Closes every descriptor above 2, in a child about to exec: what
 * gracefulinit inherited or opened is not the command's to keep. */
void files_close_extra(void);

#endif
