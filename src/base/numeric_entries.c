#include "numeric_entries.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "number.h"

/* The kernel's struct linux_dirent64, which getdents64 fills: d_ino (8
 * bytes), d_off (8), d_reclen (2), d_type (1), then the NUL-terminated name. */
#define DIRENT_RECLEN_AT 16
#define DIRENT_NAME_AT 19

int entries_each(const char *path, int (*fn)(const char *name, void *ctx), void *ctx, int *dir_fd)
{
	char buf[4096] __attribute__((aligned(8)));
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int stop = 0;

	if (fd < 0)
		return -1;
	if (dir_fd != NULL)
		*dir_fd = fd;
	while (!stop) {
		long n = syscall(SYS_getdents64, fd, buf, sizeof(buf));
		if (n <= 0) {
			if (n < 0) {
				int saved = errno;
				(void)close(fd);
				errno = saved;
				return -1;
			}
			break;
		}
		for (long pos = 0; pos < n && !stop;) {
			unsigned short reclen;
			memcpy(&reclen, buf + pos + DIRENT_RECLEN_AT, sizeof(reclen));
			stop = fn(buf + pos + DIRENT_NAME_AT, ctx);
			if (reclen == 0)
				break; /* never from a sane kernel; do not spin */
			pos += reclen;
		}
	}
	(void)close(fd); /* read-only directory: nothing to lose */
	return 0;
}

struct numeric_walk {
	int (*fn)(long number, void *ctx);
	void *ctx;
};

static int numeric_only(const char *name, void *ctx)
{
	const struct numeric_walk *walk = ctx;
	unsigned long long number;

	if (number_parse(name, NUMBER_TO_NUL, 0x7fffffff, &number) != 0)
		return 0;
	return walk->fn((long)number, walk->ctx);
}

int numeric_entries_each(const char *path, int (*fn)(long number, void *ctx), void *ctx, int *dir_fd)
{
	struct numeric_walk walk = { fn, ctx };

	return entries_each(path, numeric_only, &walk, dir_fd);
}
