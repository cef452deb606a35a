/* The release build links these in place of musl's for libcap-ng
 * (capng_libc.def, cmake/Libcapng.cmake): each does the one job libcap-ng
 * 0.8 asks of it. A call outside that job is logged and fails, and
 * gi_capng_misuses() makes start-up fail with it: it never hangs and never
 * reads memory that is not what libcap-ng thinks it is. The sanitizer build
 * links the host's libcap-ng, which never calls them; the unit test does. */
#define _GNU_SOURCE /* asprintf, in glibc's headers */
#include "capng_libc.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "files.h"
#include "format.h"
#include "log.h"
#include "number.h"

/* Each stand-in has exactly the type of the libc function it replaces. */
#define STANDIN(name) extern __typeof__(name) gi_capng_##name;
#define LIBC(name)
#define UNUSED(name)
#include "capng_libc.def"

/* Redeclared with what __typeof__ leaves out, for the format checker. */
int gi_capng_snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void gi_capng_syslog(int priority, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int misuses;

int gi_capng_misuses(void) { return misuses; }

static void misused(const char *call)
{
	misuses++;
	log_error("libcap-ng: unsupported call to %s", call);
}

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

/* What libcap-ng asks of sscanf ("CapBnd:  %08x%08x"): literal characters,
 * white space that matches any run of it, and %x with an optional width.
 * Returns the number of values stored, or EOF when the input ran out before
 * the first. */
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
		unsigned long long width = 0;
		fmt += 1 + number_scan(fmt + 1, NUMBER_TO_NUL, 64, &width);
		if (*fmt != 'x') {
			misused("sscanf");
			assigned = 0;
			break;
		}
		unsigned value;
		if (scan_hex(&s, width > 0 ? (unsigned)width : ~0U, &value) != 0) {
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

/* libcap-ng reads one /proc/PID/status at a time, start to end: one static
 * buffer holds it (the file is about 1.5 KB). */
static struct {
	char text[8192];
	size_t len;
	size_t pos;
	int open;
} status_file;

#define STATUS_FILE ((FILE *)(void *)&status_file)

FILE *gi_capng_fopen(const char *path, const char *mode)
{
	if (strcmp(mode, "r") != 0 && strcmp(mode, "re") != 0) {
		misused("fopen");
		errno = EINVAL;
		return NULL;
	}
	if (status_file.open) {
		misused("fopen");
		errno = EMFILE;
		return NULL;
	}
	ssize_t len = file_read(path, status_file.text, sizeof(status_file.text));
	if (len < 0)
		return NULL;
	status_file.len = (size_t)len;
	status_file.pos = 0;
	status_file.open = 1;
	return STATUS_FILE;
}

static int is_status_file(const char *call, const FILE *file)
{
	if (file == STATUS_FILE && status_file.open)
		return 1;
	misused(call);
	return 0;
}

char *gi_capng_fgets(char *line, int size, FILE *file)
{
	size_t n = 0;

	if (!is_status_file("fgets", file) || size <= 0 || status_file.pos >= status_file.len)
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

int gi_capng_fclose(FILE *file)
{
	if (!is_status_file("fclose", file))
		return EOF;
	status_file.open = 0;
	return 0;
}

/* The file is never shared: there is no locking to give up. */
int gi_capng___fsetlocking(FILE *file, int type)
{
	(void)type;
	return is_status_file("__fsetlocking", file) ? FSETLOCKING_BYCALLER : FSETLOCKING_QUERY;
}

int gi_capng_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = format_v(buf, size, fmt, ap);
	va_end(ap);
	if (n < 0)
		misused("snprintf");
	return n;
}

/* libcap-ng asks only to name a capability its table lacks ("cap_40"), and
 * its callers take no name as an answer: gracefulinit then names it by
 * number. */
int gi_capng_asprintf(char **text, const char *fmt, ...)
{
	(void)fmt;
	*text = NULL;
	errno = ENOMEM;
	return -1;
}

/* Only what asprintf gave, which is nothing. */
// cppcheck-suppress constParameter ; free's own type
void gi_capng_free(void *p)
{
	if (p != NULL)
		misused("free");
}

/* libcap-ng reads /proc/sys/kernel/cap_last_cap with it: a plain decimal. */
unsigned long gi_capng_strtoul(const char *text, char **end, int base)
{
	unsigned long long v = 0;
	size_t digits = 0;

	if (base != 10)
		misused("strtoul");
	else
		digits = number_scan(text, NUMBER_TO_NUL, ULONG_MAX, &v);
	if (digits == 0)
		errno = EINVAL; /* libcap-ng then finds the last capability by probing */
	if (end != NULL)
		*end = (char *)text + digits; /* strtoul's type drops the const */
	return (unsigned long)v;
}

/* libcap-ng resets its cached state in a forked child; gracefulinit's child
 * never calls libcap-ng, it only execs. */
// NOLINTNEXTLINE(bugprone-easily-swappable-parameters): pthread_atfork(3)'s own
int gi_capng_pthread_atfork(void (*prepare)(void), void (*parent)(void), void (*child)(void))
{
	(void)prepare;
	(void)parent;
	(void)child;
	return 0;
}

/* A container has no syslog daemon: libcap-ng's complaint goes to stderr
 * with the rest. identity_sys.c checks the outcome itself as well. */
void gi_capng_syslog(int priority, const char *fmt, ...)
{
	char text[256];
	va_list ap;

	(void)priority;
	va_start(ap, fmt);
	int n = format_v(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (n < 0)
		misused("syslog");
	log_error("libcap-ng: %s", text);
}
