#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include "format.h"

static enum log_level current_level = LOG_LEVEL_NOTICE;
/* stderr's reader has gone (a log shipper restarted, the shim's pipe broke):
 * there is nowhere to write to any more, and each try raises SIGPIPE. */
static int stderr_gone;
static const char *record_path;

void log_set_level(enum log_level level) { current_level = level; }

void log_set_record(const char *path) { record_path = path; }

enum log_level log_get_level(void) { return current_level; }

/* Not created: only a file the platform provides (a missing one, or one
 * gracefulinit's user may not write, is no error to report). */
static void record(const char *line, size_t len)
{
	int fd = open(record_path, O_WRONLY | O_TRUNC | O_CLOEXEC | O_NOCTTY);

	if (fd < 0)
		return;
	/* A failure has nowhere better to go than the line itself, which
	 * goes to stderr anyway; logging it here would recurse. */
	ssize_t written = write(fd, line, len);
	int closed = close(fd);
	(void)written;
	(void)closed;
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
	/* Nowhere left to report a failed write to stderr. */
	if (show && write(STDERR_FILENO, line, len) < 0 && errno == EPIPE)
		stderr_gone = 1;
	errno = saved_errno;
}

void log_at(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit(level, 0, fmt, ap);
	va_end(ap);
}

void log_event(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit(LOG_LEVEL_NOTICE, 1, fmt, ap);
	va_end(ap);
}
