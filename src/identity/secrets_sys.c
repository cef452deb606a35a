#include "secrets_sys.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "environ.h"
#include "fdstat.h"
#include "format.h"
#include "log.h"
#include "mapping.h"

/* Each value lives in a mapping of its own, "NAME=value\0", until the fork
 * (or, when the command may start again, for good): the command's environ
 * points at it, and only a restart's re-read writes over it. One byte past
 * the largest entry tells a file that is too long. */
#define ENTRY_MAP_SIZE (SECRET_ENTRY_MAX + 1)

/* Each value's mapping, and where it came from, for a restart's re-read:
 * its --secret, and the NAME_FILE value when that named the file (the
 * environment's string, which outlives its place in the array). */
static char *entries[SECRETS_MAX];
static const struct secret_spec *entry_specs[SECRETS_MAX];
static const char *entry_files[SECRETS_MAX];
static size_t entry_count;

/* O_NONBLOCK: a FIFO (or a device) in place of the file must not hang
 * start-up or a restart; it is refused once fstat says what it is. denied_ok: a file
 * this user may not read is no error (a restart's re-read of a root-only
 * file, which keeps the value read at start). */
static int open_regular(const char *name, const char *path, int denied_ok)
{
	struct fd_facts facts;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);

	if (fd < 0) {
		if (!denied_ok || (errno != EACCES && errno != EPERM))
			log_error("--secret %s: cannot read %s: %m", name, path);
		return -1;
	}
	if (fd_facts(fd, &facts) != 0)
		log_error("--secret %s: cannot read %s: %m", name, path);
	else if (!facts.regular)
		log_error("--secret %s: %s is not a regular file", name, path);
	else
		return fd;
	(void)close(fd); /* read-only: nothing to lose */
	return -1;
}

/* Reads fd into buf until EOF or size; returns the length, or -1 with errno
 * set. *complete: EOF was reached. */
static ssize_t read_to_end(int fd, char *buf, size_t size, int *complete)
{
	size_t used = 0;

	*complete = 0;
	while (used < size) {
		ssize_t n = read(fd, buf + used, size - used);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0) {
			*complete = 1;
			break;
		}
		used += (size_t)n;
	}
	return (ssize_t)used;
}

/* "NAME=" and the file's content, checked, into a new mapping. */
static char *read_entry(const struct secret_spec *spec, const char *name, const char *path, int denied_ok)
{
	char err[512];
	int complete;
	int fd = open_regular(name, path, denied_ok);

	if (fd < 0)
		return NULL;
	char *entry = map_new(ENTRY_MAP_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	if (entry == MAP_FAILED) {
		log_error("--secret %s: %m", name);
		(void)close(fd);
		return NULL;
	}
	size_t prefix = spec->name_len + 1;
	format(entry, prefix + 1, "%s=", name);
	ssize_t n = read_to_end(fd, entry + prefix, ENTRY_MAP_SIZE - prefix, &complete);
	int saved = errno;
	(void)close(fd);
	size_t len = n > 0 ? (size_t)n : 0;
	if (n < 0) {
		errno = saved;
		log_error("--secret %s: cannot read %s: %m", name, path);
	} else if (secret_value_check(spec, path, entry + prefix, &len, complete, err, sizeof(err)) != 0) {
		log_error("%s", err);
	} else {
		entry[prefix + len] = '\0';
		return entry;
	}
	(void)map_remove(entry, ENTRY_MAP_SIZE); /* what was read is gone with it */
	return NULL;
}

/* The file of --secret NAME=PATH into path, which the caller sized. */
static const char *path_of(const struct secret_spec *spec, const char *file, char *path)
{
	if (file != NULL)
		return file;
	format(path, SECRET_PATH_MAX + 1, "%.*s", (int)spec->path_len, spec->path);
	return path;
}

static int load_one(const struct secret_spec *spec, char ***env)
{
	char name[SECRET_NAME_MAX], path[SECRET_PATH_MAX + 1], file_variable_name[SECRET_NAME_MAX + 5];
	const char *from;

	format(name, sizeof(name), "%.*s", (int)spec->name_len, spec->name);
	format(file_variable_name, sizeof(file_variable_name), "%s_FILE", name);
	switch (secret_source(spec, *env, &from)) {
	case SECRET_NOT_GIVEN:
		log_debug("--secret %s: %s is not set: nothing to read", name, file_variable_name);
		return 0;
	case SECRET_CONFLICT:
		log_error("--secret %s: both %s and %s are set", name, name, file_variable_name);
		return -1;
	case SECRET_FROM_PATH:
		if (spec->path_len > SECRET_PATH_MAX) {
			log_error("--secret %s: path longer than %d bytes", name, SECRET_PATH_MAX);
			return -1;
		}
		from = NULL;
		break;
	case SECRET_FROM_FILE_VARIABLE:
		break;
	}
	char *entry = read_entry(spec, name, path_of(spec, from, path), 0);
	if (entry == NULL)
		return -1;
	entry_specs[entry_count] = spec;
	entry_files[entry_count] = from;
	entries[entry_count++] = entry;
	if (environ_put(env, entry) != 0) {
		log_error("--secret %s: cannot set it: %m", name);
		return -1;
	}
	if (spec->path == NULL)
		environ_remove(*env, file_variable_name);
	log_debug("--secret %s: set from %s", name, path_of(spec, from, path));
	return 0;
}

int secrets_load(const struct secret_list *list, char ***env)
{
	for (size_t i = 0; i < list->count; i++) {
		if (load_one(&list->items[i], env) != 0) {
			secrets_forget(*env);
			return -1;
		}
	}
	return 0;
}

void secrets_keep(void)
{
	for (size_t i = 0; i < entry_count; i++)
		if (map_advise(entries[i], ENTRY_MAP_SIZE, MADV_DONTDUMP) != 0)
			log_error("madvise: %m");
}

void secrets_reread(void)
{
	for (size_t i = 0; i < entry_count; i++) {
		char name[SECRET_NAME_MAX], path[SECRET_PATH_MAX + 1];
		const struct secret_spec *spec = entry_specs[i];

		format(name, sizeof(name), "%.*s", (int)spec->name_len, spec->name);
		char *fresh = read_entry(spec, name, path_of(spec, entry_files[i], path), 1);
		if (fresh == NULL)
			continue; /* the value read at start stays */
		/* In place: the environment points at it. Nothing of a longer old
		 * value stays past the new one's end, and pages the values never
		 * reached stay untouched (not PID 1's memory). */
		size_t had = strlen(entries[i]), now = strlen(fresh);
		memcpy(entries[i], fresh, now + 1);
		if (had > now)
			memset(entries[i] + now + 1, 0, had - now);
		(void)map_remove(fresh, ENTRY_MAP_SIZE); /* a mapping of our own: cannot fail */
	}
}

/* gracefulinit's environment stops pointing at them first, by pointer: the
 * values are not read again. */
void secrets_forget(char **env)
{
	for (size_t i = 0; i < entry_count; i++) {
		environ_drop(env, entries[i]);
		(void)map_remove(entries[i], ENTRY_MAP_SIZE); /* a mapping of our own: cannot fail */
	}
	entry_count = 0;
}
