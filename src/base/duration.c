#include "duration.h"

#include <string.h>

#include "format.h"
#include "number.h"

/* Whole and fractional digits are read by hand: strtod would accept "inf",
 * "nan", hex floats and leading blanks, none of which is a duration. */
static int parse_number(const char **p, long long *whole, long long *frac_ms_scaled, int *frac_digits)
{
	const char *s = *p;
	unsigned long long value;
	size_t digits = number_scan(s, NUMBER_TO_NUL, DURATION_MAX_MS, &value);

	*frac_ms_scaled = 0;
	*frac_digits = 0;
	if (digits == 0)
		return -1; /* ".5": a leading digit is required */
	*whole = (long long)value;
	s += digits;
	if (*s == '.') {
		/* Nine digits resolve a millisecond of any unit; the rest can
		 * only be below it. */
		digits = number_scan(++s, 9, ~0ULL, &value);
		if (digits == 0)
			return -1;
		*frac_ms_scaled = (long long)value;
		*frac_digits = (int)digits;
		for (s += digits; number_is_digit(*s); s++)
			;
	}
	*p = s;
	return 0;
}

int duration_parse(const char *text, int allow_off, long long *ms)
{
	long long whole, frac, unit_ms;
	int frac_digits;
	const char *s = text;

	if (text == NULL)
		return -1;
	if (allow_off && strcmp(text, "off") == 0) {
		*ms = DURATION_OFF;
		return 0;
	}
	if (parse_number(&s, &whole, &frac, &frac_digits) != 0)
		return -1;
	if (strcmp(s, "") == 0 || strcmp(s, "s") == 0)
		unit_ms = 1000;
	else if (strcmp(s, "ms") == 0)
		unit_ms = 1;
	else if (strcmp(s, "m") == 0)
		unit_ms = 60LL * 1000;
	else
		return -1;
	if (whole > DURATION_MAX_MS / unit_ms)
		return -1;

	long long scale = 1;
	for (int i = 0; i < frac_digits; i++)
		scale *= 10;
	long long frac_ms = frac * unit_ms / scale;
	if (unit_ms == 1 && frac != 0)
		return -1; /* "1.5ms": below the resolution gracefulinit keeps */
	long long total = whole * unit_ms + frac_ms;
	if (total > DURATION_MAX_MS)
		return -1;
	*ms = total;
	return 0;
}

void duration_format(long long ms, char *buf, size_t size)
{
	if (ms == DURATION_OFF)
		format(buf, size, "off");
	else if (ms % 60000 == 0 && ms != 0)
		format(buf, size, "%lldm", ms / 60000);
	else if (ms % 1000 == 0)
		format(buf, size, "%llds", ms / 1000);
	else if (ms > 1000 && ms % 100 == 0)
		format(buf, size, "%lld.%llds", ms / 1000, (ms % 1000) / 100);
	else
		format(buf, size, "%lldms", ms);
}
