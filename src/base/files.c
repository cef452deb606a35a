#include "files.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "fdstat.h"
#include "log.h"
#include "mapping.h"
#include "numeric_entries.h"

/* A read-only descriptor: a failed close loses nothing, and errno must still
 * say why the read failed. */
static void close_quietly(int fd)
{
	int saved = errno;

	(void)close(fd);
	errno = saved;
}

ssize_t file_read(const char *path, char *buf, size_t size)
{
	size_t used = 0;

	if (size == 0) {
		errno = EINVAL;
		return -1;
	}
	/* O_NONBLOCK: a FIFO put in a file's place must not hang PID 1 in open
	 * or read (a /proc or /sys file never blocks either way). */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -1;
	while (used < size - 1) {
		ssize_t n = read(fd, buf + used, size - 1 - used);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			close_quietly(fd);
			return -1;
		}
		if (n == 0)
			break;
		used += (size_t)n;
	}
	close_quietly(fd);
	buf[used] = '\0';
	return (ssize_t)used;
}

int file_map(const char *path, struct file_text *file)
{
	struct fd_facts facts;

	file->text = "";
	file->len = 0;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return errno == ENOENT ? 0 : -1;
	if (fd_facts(fd, &facts) != 0) {
		close_quietly(fd);
		return -1;
	}
	/* Only a file's text can be mapped; a FIFO or device in /etc is refused
	 * rather than waited on. */
	if (!facts.regular) {
		close_quietly(fd);
		errno = EINVAL;
		return -1;
	}
	if (facts.size > 0) {
		void *text = map_new((size_t)facts.size, PROT_READ, MAP_PRIVATE, fd);
		if (text == MAP_FAILED) {
			close_quietly(fd);
			return -1;
		}
		file->text = text;
		file->len = (size_t)facts.size;
	}
	close_quietly(fd);
	return 0;
}

void file_unmap(struct file_text *file)
{
	/* munmap fails only for a range that was never mapped. */
	if (file->len > 0)
		(void)map_remove((void *)file->text, file->len);
	file->text = "";
	file->len = 0;
}

struct fd_walk {
	int own; /* the directory's own descriptor, closed by numeric_entries_each */
};

static int close_one(long fd, void *ctx)
{
	const struct fd_walk *walk = ctx;

	if (fd > 2 && fd != walk->own)
		(void)close((int)fd); /* EBADF for one already gone is harmless */
	return 0;
}

void files_close_extra(void)
{
	struct fd_walk walk = { -1 };

#ifdef SYS_close_range
	if (syscall(SYS_close_range, 3U, ~0U, 0U) == 0)
		return;
#endif
	/* Kernels before 5.9: list them. */
	if (numeric_entries_each("/proc/self/fd", close_one, &walk, &walk.own) != 0)
		log_debug("cannot list /proc/self/fd: %m");
}
