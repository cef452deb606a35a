#include "ipaddr.h"

#include <string.h>

#include "number.h"

#define IPV6_GROUPS 8

int ipaddr_parse4(const char *text, size_t len, unsigned char out[4])
{
	const char *s = text, *end = text + len;

	for (int i = 0; i < 4; i++) {
		unsigned long long value;
		size_t digits = number_scan(s, (size_t)(end - s), 255, &value);
		if (digits == 0 || (digits > 1 && *s == '0'))
			return -1;
		s += digits;
		out[i] = (unsigned char)value;
		if (i < 3 && (s == end || *s++ != '.'))
			return -1;
	}
	return s == end ? 0 : -1;
}

/* The groups before and after "::" (gap: where it was, -1 when absent). */
static int read_groups(const char *s, const char *end, unsigned int groups[IPV6_GROUPS], int *count, int *gap)
{
	int n = 0;

	*gap = -1;
	if (end - s >= 2 && s[0] == ':' && s[1] == ':') {
		*gap = 0;
		s += 2;
	}
	while (s < end) {
		const char *p = s;
		unsigned int value = 0;
		if (n == IPV6_GROUPS)
			return -1;
		while (p < end && p - s < 5 && number_hex_digit(*p) >= 0)
			value = value * 16 + (unsigned int)number_hex_digit(*p++);
		if (p < end && *p == '.') {
			unsigned char quad[4];
			if (n > IPV6_GROUPS - 2 || ipaddr_parse4(s, (size_t)(end - s), quad) != 0)
				return -1;
			groups[n++] = (unsigned int)quad[0] << 8 | quad[1];
			groups[n++] = (unsigned int)quad[2] << 8 | quad[3];
			break;
		}
		if (p == s || p - s > 4)
			return -1;
		groups[n++] = value;
		s = p;
		if (s == end)
			break;
		if (*s++ != ':' || s == end)
			return -1;
		if (*s == ':') {
			if (*gap >= 0)
				return -1;
			*gap = n;
			s++;
		}
	}
	*count = n;
	return 0;
}

int ipaddr_parse6(const char *text, size_t len, unsigned char out[16])
{
	unsigned int groups[IPV6_GROUPS];
	int count, gap;

	if (read_groups(text, text + len, groups, &count, &gap) != 0)
		return -1;
	if (gap < 0 ? count != IPV6_GROUPS : count == IPV6_GROUPS)
		return -1;
	memset(out, 0, 16);
	for (int i = 0; i < count; i++) {
		/* Groups after "::" go to the end; the gap stays zero. */
		size_t at = (size_t)(gap >= 0 && i >= gap ? IPV6_GROUPS - count + i : i);
		out[2 * at] = (unsigned char)(groups[i] >> 8);
		out[2 * at + 1] = (unsigned char)groups[i];
	}
	return 0;
}
