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

int numeric_entries_each(const char *path, int (*fn)(long number, void *ctx), void *ctx, int *dir_fd)
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
			unsigned long long number;
			memcpy(&reclen, buf + pos + DIRENT_RECLEN_AT, sizeof(reclen));
			if (number_parse(buf + pos + DIRENT_NAME_AT, NUMBER_TO_NUL, 0x7fffffff, &number) == 0)
				stop = fn((long)number, ctx);
			if (reclen == 0)
				break; /* never from a sane kernel; do not spin */
			pos += reclen;
		}
	}
	(void)close(fd); /* read-only directory: nothing to lose */
	return 0;
}
