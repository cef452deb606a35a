/* /etc/passwd and /etc/group as an image may hold them: none of it may make
 * the parser read out of bounds, and what it finds must be what it was asked
 * for, within its limits. The input is one text used as both files; its
 * first line (up to ':') names the user and group to look up. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "accounts.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct account found;
static gid_t groups[64];

static void check_account(const char *name, int by_name, uid_t uid)
{
	size_t name_len = strnlen(found.name, sizeof(found.name));
	size_t home_len = strnlen(found.home, sizeof(found.home));

	if (name_len == sizeof(found.name) || home_len == sizeof(found.home))
		abort(); /* not NUL-terminated */
	if (name_len == 0)
		abort(); /* an empty name, or one cut at a NUL byte */
	if (by_name ? strcmp(found.name, name) != 0 : found.uid != uid)
		abort();
	if (found.uid == (uid_t)-1 || found.gid == (gid_t)-1)
		abort();
}

/* Found: a usable account as asked for. Unusable: a reason and a line. */
static void check_result(int rc, struct account_problem *problem, const char *name, int by_name, uid_t uid)
{
	if (rc == 1)
		check_account(name, by_name, uid);
	else if (rc == -1 && (problem->reason == NULL || problem->line == 0))
		abort();
	else if (rc != 0 && rc != -1)
		abort();
	problem->reason = NULL;
	problem->line = 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	char name[ACCOUNT_NAME_MAX];
	const char *colon = memchr(text, ':', size);
	size_t len = colon != NULL ? (size_t)(colon - text) : 0;

	if (len == 0 || len >= sizeof(name) || memchr(text, '\0', len) != NULL)
		return 0;
	memcpy(name, text, len);
	name[len] = '\0';
	struct account_problem problem = { 0, NULL };
	int rc = accounts_find_user(text, size, name, 0, &found, &problem);
	check_result(rc, &problem, name, 1, 0);
	uid_t uid = (uid_t)(size % 70000);
	rc = accounts_find_user(text, size, NULL, uid, &found, &problem);
	check_result(rc, &problem, NULL, 0, uid);
	gid_t gid;
	rc = accounts_find_group(text, size, name, &gid, &problem);
	if (rc < -1 || rc > 1 || (rc == -1 && (problem.reason == NULL || problem.line == 0)) || (rc == 1 && gid == (gid_t)-1))
		abort();
	int max = (int)(data[size - 1] % 65);
	int count = accounts_user_groups(text, size, name, 4321, groups, max);
	if (count < 1 || (max > 0 && groups[0] != 4321))
		abort();
	for (int i = 0; i < count && i < max; i++)
		for (int j = 0; j < i; j++)
			if (groups[i] == groups[j])
				abort(); /* each gid once */
	return 0;
}
