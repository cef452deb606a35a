#include "duration.h"

#include <string.h>

#include "format.h"
#include "number.h"

/* Whole and fractional digits are read by hand: strtod would accept "inf",
 * "nan", hex floats and leading blanks, none of which is a duration. */
/* below: digits past the ninth that are not 0, finer than any unit's millisecond. */
static int parse_number(const char **p, long long *whole, long long *frac_ms_scaled, int *frac_digits, int *below)
{
	const char *s = *p;
	unsigned long long value;
	size_t digits = number_scan(s, NUMBER_TO_NUL, DURATION_MAX_MS, &value);

	*frac_ms_scaled = 0;
	*frac_digits = 0;
	*below = 0;
	if (digits == 0) /* ".5": a leading digit is required */
		return number_is_digit(*s) ? DURATION_TOO_LONG : DURATION_NOT_ONE;
	*whole = (long long)value;
	s += digits;
	if (*s == '.') {
		/* Nine digits resolve a millisecond of any unit; the rest can
		 * only be below it. */
		digits = number_scan(++s, 9, ~0ULL, &value);
		if (digits == 0)
			return DURATION_NOT_ONE;
		*frac_ms_scaled = (long long)value;
		*frac_digits = (int)digits;
		for (s += digits; number_is_digit(*s); s++)
			*below |= *s != '0';
	}
	*p = s;
	return 0;
}

int duration_parse(const char *text, int allow_off, long long *ms)
{
	long long whole, frac, unit_ms;
	int frac_digits, below;
	const char *s = text;

	if (text == NULL)
		return DURATION_NOT_ONE;
	if (allow_off && strcmp(text, "off") == 0) {
		*ms = DURATION_OFF;
		return 0;
	}
	int rc = parse_number(&s, &whole, &frac, &frac_digits, &below);
	if (rc != 0)
		return rc;
	if (strcmp(s, "") == 0 || strcmp(s, "s") == 0)
		unit_ms = 1000;
	else if (strcmp(s, "ms") == 0)
		unit_ms = 1;
	else if (strcmp(s, "m") == 0)
		unit_ms = 60LL * 1000;
	else
		return DURATION_NOT_ONE;
	if (whole > DURATION_MAX_MS / unit_ms)
		return DURATION_TOO_LONG;

	long long scale = 1;
	for (int i = 0; i < frac_digits; i++)
		scale *= 10;
	/* "0.0001" would be 0: SIGKILL at once, the app never seeing SIGTERM. */
	if (below || (frac * unit_ms) % scale != 0)
		return DURATION_TOO_PRECISE;
	long long total = whole * unit_ms + frac * unit_ms / scale;
	if (total > DURATION_MAX_MS)
		return DURATION_TOO_LONG;
	*ms = total;
	return 0;
}

const char *duration_problem(int error)
{
	switch (error) {
	case DURATION_TOO_LONG:
		return "is longer than a duration may be (365 days)";
	case DURATION_TOO_PRECISE:
		return "is more precise than a millisecond";
	default:
		return "is not a duration (10, 10s, 500ms, 1.5s, 2m)";
	}
}

void duration_format(long long ms, char *buf, size_t size)
{
	long long s = ms / 1000, frac = ms % 1000;
	int minutes = s != 0 && s % 60 == 0;

	if (ms == DURATION_OFF)
		format(buf, size, "off");
	else if (frac == 0)
		format(buf, size, "%lld%s", minutes ? s / 60 : s, minutes ? "m" : "s");
	else if (s > 0 && frac % 100 == 0)
		format(buf, size, "%lld.%llds", s, frac / 100);
	else
		format(buf, size, "%lldms", ms);
}
