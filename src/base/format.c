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

struct spec {
	int left;       /* '-' */
	int zero;       /* '0' */
	int width;
	int precision;  /* -1: none */
	int length;     /* 0, 1 (l), 2 (ll), 3 (z) */
};

static void put_padded(struct out *o, const char *text, size_t len, const struct spec *s, char pad)
{
	size_t fill = s->width > 0 && (size_t)s->width > len ? (size_t)s->width - len : 0;

	if (!s->left)
		while (fill-- > 0)
			put(o, pad);
	for (size_t i = 0; i < len; i++)
		put(o, text[i]);
	if (s->left)
		while (fill-- > 0)
			put(o, ' ');
}

static void put_unsigned(struct out *o, unsigned long long v, unsigned base, int negative, const struct spec *s)
{
	char digits[24];
	size_t n = sizeof(digits);

	do {
		digits[--n] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v != 0);
	if (negative)
		digits[--n] = '-';
	put_padded(o, digits + n, sizeof(digits) - n, s, s->zero && !s->left && !negative ? '0' : ' ');
}

static void put_string(struct out *o, const char *text, const struct spec *s)
{
	if (text == NULL)
		text = "(null)";
	size_t len = s->precision >= 0 ? strnlen(text, (size_t)s->precision) : strlen(text);
	put_padded(o, text, len, s, ' ');
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

/* Reads flags, width, precision and length; returns the conversion. */
static const char *parse_spec(const char *p, struct spec *s, va_list *ap)
{
	memset(s, 0, sizeof(*s));
	s->precision = -1;
	for (;; p++) {
		if (*p == '-')
			s->left = 1;
		else if (*p == '0')
			s->zero = 1;
		else
			break;
	}
	p = parse_count(p, &s->width, ap);
	if (*p == '.')
		p = parse_count(p + 1, &s->precision, ap); /* a negative one from '*' is none, as in printf */
	for (; *p == 'l' || *p == 'z'; p++)
		s->length = *p == 'z' ? 3 : s->length + 1;
	return p;
}

static long long signed_arg(const struct spec *s, va_list *ap)
{
	if (s->length == 0)
		return va_arg(*ap, int);
	if (s->length == 3)
		return (long long)va_arg(*ap, size_t);
	return s->length == 1 ? va_arg(*ap, long) : va_arg(*ap, long long);
}

static unsigned long long unsigned_arg(const struct spec *s, va_list *ap)
{
	if (s->length == 0)
		return va_arg(*ap, unsigned);
	if (s->length == 3)
		return va_arg(*ap, size_t);
	return s->length == 1 ? va_arg(*ap, unsigned long) : va_arg(*ap, unsigned long long);
}

/* Returns -1 for a conversion format() does not implement: its argument's
 * type is unknown, so nothing after it can be read safely. */
static int convert(struct out *o, char conversion, const struct spec *s, va_list *ap, int saved_errno)
{
	switch (conversion) {
	case 'd':
	case 'i': {
		long long v = signed_arg(s, ap);
		put_unsigned(o, v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v, 10, v < 0, s);
		break;
	}
	case 'u':
		put_unsigned(o, unsigned_arg(s, ap), 10, 0, s);
		break;
	case 'x':
		put_unsigned(o, unsigned_arg(s, ap), 16, 0, s);
		break;
	case 'c': {
		char c = (char)va_arg(*ap, int);
		put_padded(o, &c, 1, s, ' ');
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
