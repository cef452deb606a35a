#include "verdict.h"

#include <string.h>

#include "format.h"
#include "number.h"

#define NAME_PREFIX "gracefulinit-health."

void verdict_name(const struct verdict_key *key, char *buf, size_t size)
{
	format(buf, size, NAME_PREFIX "%llu.%llu.%llu", key->mount_ns, key->pid, key->start_time);
}

int verdict_name_parse(const char *name, struct verdict_key *key)
{
	unsigned long long *fields[] = { &key->mount_ns, &key->pid, &key->start_time };
	const char *s = name + sizeof(NAME_PREFIX) - 1;

	if (strncmp(name, NAME_PREFIX, sizeof(NAME_PREFIX) - 1) != 0)
		return -1;
	for (int i = 0; i < 3; i++) {
		size_t digits = number_scan(s, NUMBER_TO_NUL, ~0ULL, fields[i]);
		if (digits == 0 || s[digits] != (i < 2 ? '.' : '\0'))
			return -1;
		s += digits + 1;
	}
	return 0;
}

/* The 22nd field; the name in field 2 may hold spaces and parentheses, so
 * fields are counted from the last ')'. */
unsigned long long verdict_start_time(const char *stat)
{
	const char *s = strrchr(stat, ')');
	unsigned long long value = 0;

	for (int field = 2; field < 22 && s != NULL; field++)
		s = strchr(s + 1, ' ');
	if (s != NULL)
		(void)number_scan(s + 1, NUMBER_TO_NUL, ~0ULL, &value);
	return value;
}
