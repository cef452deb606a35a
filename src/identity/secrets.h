/* --secret NAME[=PATH],...: which variables the command gets from which
 * files, and the rules a value must keep (gracefulinit(1), SECRETS). Pure:
 * secrets_sys.c reads the files. No value ever reaches a message. */
#ifndef GRACEFULINIT_SECRETSPEC_H
#define GRACEFULINIT_SECRETSPEC_H

#include <stddef.h>

#define SECRETS_MAX 32
#define SECRET_NAME_MAX 128
/* A --secret NAME=PATH's PATH: PATH_MAX less its NUL. */
#define SECRET_PATH_MAX 4095
/* The kernel's MAX_ARG_STRLEN: one environment string, "NAME=value" and its
 * NUL, may be 32 pages long. */
#define SECRET_ENTRY_MAX 131072

/* One NAME[=PATH]: both point into the option's text. */
struct secret_spec {
	const char *name;
	size_t name_len;
	const char *path; /* NULL: NAME alone, the file $NAME_FILE names */
	size_t path_len;
};

struct secret_list {
	struct secret_spec items[SECRETS_MAX];
	size_t count;
};

/* Adds the comma-separated NAME[=PATH] entries of text to list. Returns 0,
 * or -1 with a one-line message in err (the caller exits 125). */
int secret_list_parse(struct secret_list *list, const char *text, char *err, size_t err_size);

/* Where the value of spec comes from, given the environment gracefulinit was
 * started with. */
enum secret_source { SECRET_FROM_PATH, SECRET_FROM_FILE_VARIABLE, SECRET_NOT_GIVEN, SECRET_CONFLICT };
enum secret_source secret_source(const struct secret_spec *spec, char **envp, const char **file_variable);

/* The file's content as a value: trailing newlines removed, as $(< file)
 * does. Returns 0 and the value's new length, or -1 with a message in err
 * when it holds a NUL byte or "NAME=value" would not fit an environment
 * string. complete: the whole file was read (not cut at the buffer's end). */
int secret_value_check(const struct secret_spec *spec, const char *path, const char *value, size_t *len,
		       int complete, char *err, size_t err_size);

#endif
