#include "number.h"

size_t number_scan(const char *text, size_t len, unsigned long long max, unsigned long long *value)
{
	unsigned long long v = 0;
	size_t i = 0;

	for (; i < len && number_is_digit(text[i]); i++) {
		unsigned digit = (unsigned)(text[i] - '0');
		if (digit > max || v > (max - digit) / 10)
			return 0;
		v = v * 10 + digit;
	}
	if (i > 0)
		*value = v;
	return i;
}

int number_parse(const char *text, size_t len, unsigned long long max, unsigned long long *value)
{
	unsigned long long v;
	size_t n = number_scan(text, len, max, &v);

	if (n == 0 || (len == NUMBER_TO_NUL ? text[n] != '\0' : n != len))
		return -1;
	*value = v;
	return 0;
}

int number_hex_digit(char c)
{
	if (number_is_digit(c))
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}
