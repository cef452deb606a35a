/* The two libc calls in libcap-ng that would each pull about 11 KB of musl
 * into the static binary for one small job: sscanf (all of scanf, floating
 * point included) to read two hex words from /proc/PID/status, and syslog
 * (time zones, strftime, a socket) to report a failed bounding-set drop.
 * The release build renames them in its musl build of libcap-ng
 * (cmake/Libcapng.cmake, objcopy --redefine-sym) to these two. The
 * sanitizer build links the host's libcap-ng and never calls them. */
#include <stdarg.h>
#include <stdio.h>

#include "log.h"

int gi_capng_sscanf(const char *s, const char *fmt, ...);
void gi_capng_syslog(int priority, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* One "%[width]x" at *s: up to width hex digits after optional white space.
 * Returns 0 and the value, or -1 when there is no digit. */
static int scan_hex(const char **s, unsigned width, unsigned *value)
{
	unsigned n = 0;

	while (is_space(**s))
		(*s)++;
	*value = 0;
	for (; n < width && hex_digit(**s) >= 0; n++, (*s)++)
		*value = *value * 16 + (unsigned)hex_digit(**s);
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
		*va_arg(ap, unsigned *) = value; // NOLINT(clang-analyzer-valist.Uninitialized): clang 14 misses va_start
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
	/* clang 14's analyzer does not see the va_start just above. */
	int n = vsnprintf(text, sizeof(text), fmt, ap); // NOLINT(clang-analyzer-valist.Uninitialized)
	va_end(ap);
	if (n >= 0)
		log_error("libcap-ng: %s", text);
}
