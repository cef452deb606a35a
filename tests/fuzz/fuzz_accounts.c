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
	if (by_name ? strcmp(found.name, name) != 0 : found.uid != uid)
		abort();
	if (found.uid == (uid_t)-1 || found.gid == (gid_t)-1)
		abort();
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
	if (accounts_find_user(text, size, name, 0, &found) == 1)
		check_account(name, 1, 0);
	uid_t uid = (uid_t)(size % 70000);
	if (accounts_find_user(text, size, NULL, uid, &found) == 1)
		check_account(NULL, 0, uid);
	gid_t gid;
	(void)accounts_find_group(text, size, name, &gid);
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
