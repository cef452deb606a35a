#include "log.h"

#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include "format.h"

static enum log_level current_level = LOG_LEVEL_NOTICE;
/* stderr's reader has gone (a log shipper restarted, the shim's pipe broke):
 * there is nowhere to write to any more, and each try raises SIGPIPE. */
static int stderr_gone;

void log_set_level(enum log_level level) { current_level = level; }

enum log_level log_get_level(void) { return current_level; }

/* The line is built in one buffer and written with one write(2), so that lines
 * from gracefulinit and from the command never interleave mid-line. */
void log_at(enum log_level level, const char *fmt, ...)
{
	static const char prefix[] = "gracefulinit: ";
	char line[1024];
	size_t len = sizeof(prefix) - 1;
	size_t room = sizeof(line) - len - 1; /* keep one byte for '\n' */
	va_list ap;

	if (level > current_level || stderr_gone)
		return;
	int saved_errno = errno;
	memcpy(line, prefix, len);
	va_start(ap, fmt);
	int n = format_v(line + len, room, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = (int)strlen(line + len); /* an unknown conversion: what came before it */
	len += (size_t)n < room ? (size_t)n : room - 1;
	line[len++] = '\n';
	/* Nowhere left to report a failed write to stderr. */
	if (write(STDERR_FILENO, line, len) < 0 && errno == EPIPE)
		stderr_gone = 1;
	errno = saved_errno;
}
