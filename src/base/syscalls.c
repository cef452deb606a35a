/* read, write, pwrite, close, open, poll, getrandom, waitpid, waitid and
 * _Fork as plain system calls, in place of musl's, on the 64-bit targets.
 * musl's are thread cancellation points, its open carries a fallback for
 * kernels before 2.6.23, and its _Fork blocks signals, takes a lock and
 * mends its thread list for threads gracefulinit never has: machinery a
 * program of one thread, with no signal handler and no raise(3) in a child,
 * never needs (bytes for the size budget, bench/notes.md). Linked into the release binary as an object,
 * as memfuncs.c (src/base/CMakeLists.txt says why), so that libcap-ng's calls
 * come here too. The 32-bit targets pass 64-bit offsets and times in pairs
 * of registers: they keep musl's, and have the room. Each returns what the
 * system call does, with errno set by syscall(2) on failure. */
#define _GNU_SOURCE /* O_TMPFILE in glibc's headers (clang-tidy reads those) */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#if UINTPTR_MAX > 0xffffffffu

ssize_t read(int fd, void *buf, size_t count)
{
	return syscall(SYS_read, fd, buf, count);
}

ssize_t write(int fd, const void *buf, size_t count)
{
	return syscall(SYS_write, fd, buf, count);
}

ssize_t pwrite(int fd, const void *buf, size_t count, off_t offset)
{
	return syscall(SYS_pwrite64, fd, buf, count, offset);
}

/* Linux frees the descriptor even when close is interrupted: as musl, that
 * is success, and a retry could close a descriptor opened since. */
int close(int fd)
{
	long rc = syscall(SYS_close, fd);

	return rc != 0 && errno == EINTR ? 0 : (int)rc;
}

/* openat: the one open every architecture has. */
int open(const char *path, int flags, ...)
{
	mode_t mode = 0;

	if ((flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE) {
		va_list ap;
		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
	}
	return (int)syscall(SYS_openat, AT_FDCWD, path, flags, mode);
}

int poll(struct pollfd *fds, nfds_t count, int timeout_ms)
{
#ifdef SYS_poll
	return (int)syscall(SYS_poll, fds, count, timeout_ms);
#else
	struct timespec ts = { .tv_sec = timeout_ms / 1000, .tv_nsec = timeout_ms % 1000 * 1000000L };
	return (int)syscall(SYS_ppoll, fds, count, timeout_ms >= 0 ? &ts : NULL, NULL, 0);
#endif
}

ssize_t getrandom(void *buf, size_t len, unsigned flags)
{
	return syscall(SYS_getrandom, buf, len, flags);
}

pid_t _Fork(void)
{
#ifdef SYS_fork
	return (pid_t)syscall(SYS_fork);
#else
	return (pid_t)syscall(SYS_clone, SIGCHLD, 0);
#endif
}

pid_t waitpid(pid_t pid, int *status, int options)
{
	return (pid_t)syscall(SYS_wait4, pid, status, options, NULL);
}

int waitid(idtype_t type, id_t id, siginfo_t *info, int options)
{
	return (int)syscall(SYS_waitid, type, id, info, options, NULL);
}

#endif
