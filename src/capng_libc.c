/* The libc calls in libcap-ng that would pull large parts of musl into the
 * static binary for small jobs: sscanf (all of scanf, floating point
 * included) to read two hex words from /proc/PID/status; stdio's
 * fopen/fgets/fclose (FILE buffers and malloc) to read that file; snprintf
 * and asprintf (all of printf) to build its path and name unknown
 * capabilities; syslog (time zones, strftime, a socket) to report a failed
 * bounding-set drop; pthread_atfork and free (the allocator) and strtoul
 * (musl's generic number scanner) at its start. The release build renames them in its musl build of
 * libcap-ng (cmake/Libcapng.cmake, objcopy --redefine-sym) to these. The
 * sanitizer build links the host's libcap-ng and never calls them. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "format.h"
#include "log.h"
#include "number.h"

int gi_capng_sscanf(const char *s, const char *fmt, ...);
void *gi_capng_fopen(const char *path, const char *mode);
char *gi_capng_fgets(char *line, int size, const void *file);
int gi_capng_fclose(const void *file);
int gi_capng_fsetlocking(void *file, int type);
int gi_capng_asprintf(char **text, const char *fmt, ...);
void gi_capng_free(void *p);
unsigned long gi_capng_strtoul(const char *text, char **end, int base);
int gi_capng_atfork(void (*prepare)(void), void (*parent)(void), void (*child)(void));
void gi_capng_syslog(int priority, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

/* One "%[width]x" at *s: up to width hex digits after optional white space.
 * Returns 0 and the value, or -1 when there is no digit. */
static int scan_hex(const char **s, unsigned width, unsigned *value)
{
	unsigned n = 0;

	while (is_space(**s))
		(*s)++;
	*value = 0;
	for (; n < width && number_hex_digit(**s) >= 0; n++, (*s)++)
		*value = *value * 16 + (unsigned)number_hex_digit(**s);
	return n > 0 ? 0 : -1;
}

/* sscanf for what libcap-ng asks of it ("CapBnd:  %08x%08x"): literal
 * characters, white space that matches any run of it, and %x with an
 * optional width. Anything else ends the scan, like a mismatch. Returns the
 * number of values stored, or EOF when the input ran out before the first. */
int gi_capng_sscanf(const char *s, const char *fmt, ...)
{
	int assigned = 0;
	va_list ap;

	va_start(ap, fmt);
	while (*fmt != '\0') {
		if (is_space(*fmt)) {
			while (is_space(*s))
				s++;
			fmt++;
			continue;
		}
		if (*fmt != '%') {
			if (*s == '\0' && assigned == 0)
				assigned = EOF;
			if (*s != *fmt)
				break;
			s++;
			fmt++;
			continue;
		}
		unsigned width = 0;
		for (fmt++; *fmt >= '0' && *fmt <= '9'; fmt++)
			width = width * 10 + (unsigned)(*fmt - '0');
		unsigned value;
		if (*fmt != 'x')
			break;
		if (scan_hex(&s, width > 0 ? width : ~0U, &value) != 0) {
			if (*s == '\0' && assigned == 0)
				assigned = EOF;
			break;
		}
		fmt++;
		*va_arg(ap, unsigned *) = value;
		assigned++;
	}
	va_end(ap);
	return assigned;
}

/* A container has no syslog daemon: libcap-ng's complaint goes to stderr
 * with the rest. identity.c checks the outcome itself as well. */
void gi_capng_syslog(int priority, const char *fmt, ...)
{
	char text[256];
	va_list ap;

	(void)priority;
	va_start(ap, fmt);
	int n = format_v(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (n >= 0)
		log_error("libcap-ng: %s", text);
}

/* libcap-ng reads one /proc/PID/status at a time, start to end: one static
 * buffer holds it (the file is about 1.5 KB). */
static struct {
	char text[8192];
	size_t len;
	size_t pos;
	int open;
} status_file;

void *gi_capng_fopen(const char *path, const char *mode)
{
	(void)mode;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	status_file.len = status_file.pos = 0;
	for (;;) {
		ssize_t n = read(fd, status_file.text + status_file.len, sizeof(status_file.text) - 1 - status_file.len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		status_file.len += (size_t)n;
	}
	int saved = errno;
	(void)close(fd); /* read-only: nothing a failed close could lose */
	errno = saved;
	status_file.open = 1;
	return &status_file;
}

char *gi_capng_fgets(char *line, int size, const void *file)
{
	size_t n = 0;

	if (file != &status_file || size <= 0 || status_file.pos >= status_file.len)
		return NULL;
	while (n + 1 < (size_t)size && status_file.pos < status_file.len) {
		char c = status_file.text[status_file.pos++];
		line[n++] = c;
		if (c == '\n')
			break;
	}
	line[n] = '\0';
	return line;
}

int gi_capng_fclose(const void *file)
{
	if (file != &status_file)
		return EOF;
	status_file.open = 0;
	return 0;
}

int gi_capng_fsetlocking(void *file, int type)
{
	(void)file;
	(void)type;
	return 0;
}

/* Only for a capability number the name table lacks: no name, and callers
 * handle NULL. (libcap-ng frees what it got last time: never hand it memory
 * it did not allocate.) */
int gi_capng_asprintf(char **text, const char *fmt, ...)
{
	(void)fmt;
	*text = NULL;
	errno = ENOMEM;
	return -1;
}

/* libcap-ng frees only what asprintf gave it, and ours gives nothing. */
void gi_capng_free(void *p) { (void)p; }

/* libcap-ng reads /proc/sys/kernel/cap_last_cap with it: a plain decimal. */
unsigned long gi_capng_strtoul(const char *text, char **end, int base)
{
	unsigned long v = 0;
	const char *p = text;

	(void)base;
	while (*p >= '0' && *p <= '9' && v < 0x10000000UL)
		v = v * 10 + (unsigned long)(*p++ - '0');
	if (end != NULL)
		*end = (char *)text + (p - text); /* strtoul's signature drops the const */
	return v;
}

/* libcap-ng resets its cached state in a forked child; gracefulinit's child
 * never calls libcap-ng, it only execs. */
int gi_capng_atfork(void (*prepare)(void), void (*parent)(void), void (*child)(void))
{
	(void)prepare;
	(void)parent;
	(void)child;
	return 0;
}
