#include "verdict.h"

#include <string.h>

#include "format.h"
#include "number.h"

void verdict_name(const char *place, const struct verdict_key *key, char *buf, size_t size)
{
	format(buf, size, "%s/gracefulinit-health.%llu.%llu.%llu", place, key->mount_ns, key->pid, key->start_time);
}

/* Fields are counted from the last ')': the name in field 2 may hold spaces
 * and parentheses. */
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
