#define _GNU_SOURCE /* splice */
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "fdstat.h"
#include "format.h"

static enum log_level current_level = LOG_LEVEL_NOTICE;
/* stderr's reader has gone (a log shipper restarted, the shim's pipe broke):
 * there is nowhere to write to any more, and each try raises SIGPIPE. */
static int stderr_gone;
static const char *record_path;

/* No line may hold PID 1 up (gracefulinit(1), LOGGING): a log driver that
 * stopped reading fills the pipe, and a blocking write would wait for it
 * while the stop signal waits for the write. O_NONBLOCK on fd 2 itself
 * would change the command's writes too, since it shares that file
 * description. So each kind of stderr gets a way that never waits, per call:
 * - a pipe or FIFO: the line goes into a pipe of gracefulinit's own, and
 *   splice(SPLICE_F_NONBLOCK) moves it on, or finds no room (no /proc, no
 *   permission on the pipe needed, as for a start as non-root);
 * - a socket (journald): send(MSG_DONTWAIT);
 * - a terminal: a description of gracefulinit's own, from /proc/self/fd/2
 *   with O_NONBLOCK, or failing that a poll for room first;
 * - a file: its writes never wait for a reader.
 * A line that finds no room is dropped and counted. */
enum out_way { OUT_PLAIN, OUT_SPLICE, OUT_SOCKET, OUT_POLLED };
static enum out_way out_way = OUT_PLAIN;
static int out_fd = STDERR_FILENO;
static int staging[2] = { -1, -1 }; /* OUT_SPLICE: gracefulinit's own pipe, never full */
static unsigned long dropped;

/* A terminal reopened through /proc: a new description, O_NONBLOCK of its
 * own. Not as fd 0 or 1 (closed at start): the command's stdin or stdout
 * would be it. */
static enum out_way open_terminal(void)
{
	int fd = open("/proc/self/fd/2", O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);

	if (fd > 2) {
		out_fd = fd;
		return OUT_PLAIN;
	}
	if (fd >= 0) {
		int closed = close(fd);
		(void)closed; /* nothing was written through it */
	}
	return OUT_POLLED;
}

void log_open(void)
{
	struct fd_facts facts;

	if (fd_facts(STDERR_FILENO, &facts) != 0)
		return;
	if (facts.type == FD_TYPE_SOCKET)
		out_way = OUT_SOCKET;
	else if (facts.type == FD_TYPE_CHAR)
		out_way = open_terminal();
	else if (facts.type == FD_TYPE_FIFO && syscall(SYS_pipe2, staging, O_NONBLOCK | O_CLOEXEC) == 0)
		out_way = OUT_SPLICE;
	else if (facts.type == FD_TYPE_FIFO)
		out_way = OUT_POLLED;
}

void log_use_stderr(void)
{
	out_way = OUT_PLAIN;
	out_fd = STDERR_FILENO;
}

void log_set_level(enum log_level level) { current_level = level; }

void log_set_record(const char *path) { record_path = path; }

enum log_level log_get_level(void) { return current_level; }

/* Not created: only a file the platform provides (a missing one, or one
 * gracefulinit's user may not write, is no error to report). Someone else
 * may control the path: a symlink is not followed (root would truncate
 * what it points at), a FIFO is not waited on (O_NONBLOCK opens it only
 * with a reader, and it is refused then too): only a regular file, or a
 * device as /dev/termination-log may be, is written. */
static void record(const char *line, size_t len)
{
	struct fd_facts facts;
	int fd = open(record_path, O_WRONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);

	if (fd < 0)
		return;
	/* A failure has nowhere better to go than the line itself, which
	 * goes to stderr anyway; logging it here would recurse. */
	if (fd_facts(fd, &facts) == 0 && (facts.regular || facts.type == FD_TYPE_CHAR) &&
	    (!facts.regular || ftruncate(fd, 0) == 0)) {
		ssize_t written = write(fd, line, len);
		(void)written;
	}
	int closed = close(fd);
	(void)closed;
}

/* Through the staging pipe: whatever splice did not move is taken back out,
 * so the next line starts clean. */
static ssize_t splice_now(const char *buf, size_t len)
{
	char scratch[1024];

	if (write(staging[1], buf, len) != (ssize_t)len)
		return -1; /* cannot happen: the staging pipe is empty and holds 64 KiB */
	ssize_t moved = splice(staging[0], NULL, STDERR_FILENO, NULL, len, SPLICE_F_NONBLOCK);
	int saved = errno;
	while (read(staging[0], scratch, sizeof(scratch)) > 0)
		;
	errno = saved;
	if (moved >= 0 && (size_t)moved < len)
		errno = EAGAIN; /* cut short: the rest of the line is dropped */
	return moved == (ssize_t)len ? moved : -1;
}

/* One write that never waits; -1 with EAGAIN when there is no room. */
static ssize_t write_now(const char *buf, size_t len)
{
	switch (out_way) {
	case OUT_SPLICE:
		return splice_now(buf, len);
	case OUT_SOCKET:
		/* send(2) as the system call: musl's is a cancellation point. */
		return syscall(SYS_sendto, STDERR_FILENO, buf, len, MSG_DONTWAIT | MSG_NOSIGNAL, NULL, 0);
	case OUT_POLLED: {
		struct pollfd p = { .fd = out_fd, .events = POLLOUT };
		if (poll(&p, 1, 0) != 1 || !(p.revents & POLLOUT)) {
			errno = (p.revents & POLLERR) ? EPIPE : EAGAIN; /* POLLERR: the reader has gone */
			return -1;
		}
		break;
	}
	case OUT_PLAIN:
		break;
	}
	return write(out_fd, buf, len);
}

/* Writes what it can; a line with no room is counted, and the count goes
 * out first once there is room again. Lines are shorter than PIPE_BUF, so
 * a pipe takes each whole or not at all. */
static void put(const char *line, size_t len)
{
	if (dropped > 0) {
		char note[96];
		int n = format(note, sizeof(note), "gracefulinit: %lu log line%s dropped: stderr was not being read\n",
			       dropped, dropped == 1 ? "" : "s");
		if (write_now(note, (size_t)n) < 0) {
			if (errno == EPIPE)
				stderr_gone = 1;
			dropped++;
			return;
		}
		dropped = 0;
	}
	if (write_now(line, len) >= 0)
		return;
	if (errno == EPIPE)
		stderr_gone = 1;
	else if (errno == EAGAIN)
		dropped++;
}

/* The line is built in one buffer and written with one write(2), so that lines
 * from gracefulinit and from the command never interleave mid-line. */
static void __attribute__((format(printf, 3, 0))) emit(enum log_level level, int to_record, const char *fmt, va_list ap)
{
	static const char prefix[] = "gracefulinit: ";
	char line[1024];
	size_t len = sizeof(prefix) - 1;
	size_t room = sizeof(line) - len - 1; /* keep one byte for '\n' */
	int show = level <= current_level && !stderr_gone;

	if (!show && !(to_record && record_path != NULL))
		return;
	int saved_errno = errno;
	memcpy(line, prefix, len);
	int n = format_v(line + len, room, fmt, ap);
	if (n < 0)
		n = (int)strlen(line + len); /* an unknown conversion: what came before it */
	len += (size_t)n < room ? (size_t)n : room - 1;
	line[len++] = '\n';
	if (to_record && record_path != NULL)
		record(line, len);
	if (show)
		put(line, len);
	errno = saved_errno;
}

/* Each level's function: the same three lines around emit. */
#define LOG_FUNCTION(name, level, to_record) \
	void name(const char *fmt, ...)      \
	{                                    \
		va_list ap;                  \
		va_start(ap, fmt);           \
		emit(level, to_record, fmt, ap); \
		va_end(ap);                  \
	}

LOG_FUNCTION(log_error, LOG_LEVEL_ERROR, 0)
LOG_FUNCTION(log_notice, LOG_LEVEL_NOTICE, 0)
LOG_FUNCTION(log_debug, LOG_LEVEL_DEBUG, 0)
LOG_FUNCTION(log_event, LOG_LEVEL_NOTICE, 1)
LOG_FUNCTION(log_failure, LOG_LEVEL_ERROR, 1)
