#include "environ.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "mapping.h"

/* "HOME=/x" and "HOME=/y" (or "HOME") have the same name; "HOMEDIR=/z"
 * does not. */
static int same_name(const char *entry, const char *name)
{
	size_t len = strcspn(name, "=");

	return strncmp(entry, name, len) == 0 && entry[len] == '=';
}

const char *environ_get(char **env, const char *name)
{
	size_t len = strlen(name);

	for (char **e = env; e != NULL && *e != NULL; e++)
		if (strncmp(*e, name, len) == 0 && (*e)[len] == '=')
			return *e + len + 1;
	return NULL;
}

int environ_put(char ***env, char *entry)
{
	char **old = *env;
	size_t count = 0;
	int replaced = 0;

	if (strchr(entry, '=') == NULL) {
		errno = EINVAL;
		return -1;
	}
	for (; old[count] != NULL; count++) {
		if (same_name(old[count], entry)) {
			old[count] = entry;
			replaced = 1;
		}
	}
	if (replaced)
		return 0;
	char **bigger = map_new((count + 2) * sizeof(char *), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	if (bigger == MAP_FAILED)
		return -1;
	memcpy(bigger, old, count * sizeof(char *));
	bigger[count] = entry;
	bigger[count + 1] = NULL;
	*env = bigger;
	return 0;
}

void environ_drop(char **env, const char *entry)
{
	size_t kept = 0;

	for (size_t i = 0; env[i] != NULL; i++)
		if (env[i] != entry)
			env[kept++] = env[i];
	env[kept] = NULL;
}

void environ_remove(char **env, const char *name)
{
	size_t kept = 0;

	for (size_t i = 0; env[i] != NULL; i++)
		if (!same_name(env[i], name))
			env[kept++] = env[i];
	env[kept] = NULL;
}
