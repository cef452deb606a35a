#include "number.h"

int number_parse(const char *text, size_t len, unsigned long long max, unsigned long long *value)
{
	unsigned long long v = 0;
	size_t i = 0;

	for (; i < len && text[i] != '\0'; i++) {
		if (text[i] < '0' || text[i] > '9')
			return -1;
		unsigned digit = (unsigned)(text[i] - '0');
		if (v > (max - digit) / 10)
			return -1;
		v = v * 10 + digit;
	}
	if (i == 0 || (len != NUMBER_TO_NUL && i != len))
		return -1;
	*value = v;
	return 0;
}

int number_hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}
