#include "format.h"

#include <errno.h>
#include <string.h>

#include "errtext.h"
#include "number.h"

struct out {
	char *buf;
	size_t size;
	size_t len; /* as if the buffer were unbounded */
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

/* No flags and no width: nothing in gracefulinit pads (guard.format_conversions). */
struct spec {
	int precision;  /* -1: none */
	int length;     /* 0, 1 (l), 2 (ll), 3 (z) */
};

static void put_text(struct out *o, const char *text, size_t len)
{
	for (size_t i = 0; i < len; i++)
		put(o, text[i]);
}

static void put_unsigned(struct out *o, unsigned long long v, unsigned base, int negative)
{
	char digits[24];
	size_t n = sizeof(digits);

	do {
		digits[--n] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v != 0);
	if (negative)
		digits[--n] = '-';
	put_text(o, digits + n, sizeof(digits) - n);
}

static void put_string(struct out *o, const char *text, const struct spec *s)
{
	if (text == NULL)
		text = "(null)";
	put_text(o, text, s->precision >= 0 ? strnlen(text, (size_t)s->precision) : strlen(text));
}

/* A width or a precision: digits, or '*' for the next int argument. */
static const char *parse_count(const char *p, int *count, va_list *ap)
{
	unsigned long long v = 0;

	if (*p == '*') {
		*count = va_arg(*ap, int);
		return p + 1;
	}
	size_t digits = number_scan(p, NUMBER_TO_NUL, 0x7fffffff, &v);
	*count = (int)v;
	return p + digits;
}

/* Reads precision and length; returns the conversion. */
static const char *parse_spec(const char *p, struct spec *s, va_list *ap)
{
	s->precision = -1;
	s->length = 0;
	if (*p == '.')
		p = parse_count(p + 1, &s->precision, ap); /* a negative one from '*' is none, as in printf */
	for (; *p == 'l' || *p == 'z'; p++)
		s->length = *p == 'z' ? 3 : s->length + 1;
	return p;
}

/* Where long and size_t are long long's size (every 64-bit target), one
 * fetch serves all three lengths. */
#define WIDE_IS_ONE (sizeof(long) == sizeof(long long) && sizeof(size_t) == sizeof(long long))

/* d, i, u, x: the argument as its length and signedness say, widened. */
static long long integer_arg(const struct spec *s, va_list *ap, int is_signed)
{
	if (s->length == 0)
		return is_signed ? va_arg(*ap, int) : (long long)va_arg(*ap, unsigned);
	if (WIDE_IS_ONE || s->length == 2)
		return is_signed ? va_arg(*ap, long long) : (long long)va_arg(*ap, unsigned long long);
	if (s->length == 1)
		return is_signed ? va_arg(*ap, long) : (long long)va_arg(*ap, unsigned long);
	return (long long)va_arg(*ap, size_t);
}

/* Returns -1 for a conversion format() does not implement: its argument's
 * type is unknown, so nothing after it can be read safely. */
static int convert(struct out *o, char conversion, const struct spec *s, va_list *ap, int saved_errno)
{
	switch (conversion) {
	case 'd':
	case 'i':
	case 'u':
	case 'x': {
		int is_signed = conversion == 'd' || conversion == 'i';
		long long v = integer_arg(s, ap, is_signed);
		int negative = is_signed && v < 0;
		put_unsigned(o, negative ? 0ULL - (unsigned long long)v : (unsigned long long)v, conversion == 'x' ? 16 : 10,
			     negative);
		break;
	}
	case 'c': {
		put(o, (char)va_arg(*ap, int));
		break;
	}
	case 's':
		put_string(o, va_arg(*ap, const char *), s);
		break;
	case 'm':
		put_string(o, error_text(saved_errno), s);
		break;
	case '%':
		put(o, '%');
		break;
	default:
		return -1;
	}
	return 0;
}

int format_v(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };
	int saved_errno = errno, failed = 0;
	va_list args;

	va_copy(args, ap);
	for (const char *p = fmt; *p != '\0'; p++) {
		if (*p != '%') {
			put(&o, *p);
			continue;
		}
		struct spec s;
		p = parse_spec(p + 1, &s, &args);
		if (*p == '\0' || convert(&o, *p, &s, &args, saved_errno) != 0) {
			failed = 1;
			break;
		}
	}
	va_end(args);
	if (size > 0)
		buf[o.len < size ? o.len : size - 1] = '\0';
	errno = saved_errno;
	if (failed)
		return -1;
	return o.len > 0x7fffffff ? 0x7fffffff : (int)o.len;
}

int format(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = format_v(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
