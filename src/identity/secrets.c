#include "secrets.h"

#include <string.h>

#include "environ.h"
#include "format.h"
#include "number.h"
#include "text.h"

static int is_name_start(char c) { return c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

/* What a shell can name and the official images' file_env reads:
 * [A-Za-z_][A-Za-z0-9_]*. */
static int valid_name(const char *name, size_t len)
{
	if (len == 0 || len >= SECRET_NAME_MAX || !is_name_start(name[0]))
		return 0;
	for (size_t i = 1; i < len; i++)
		if (!is_name_start(name[i]) && !number_is_digit(name[i]))
			return 0;
	return 1;
}

static int add_entry(struct secret_list *list, const char *entry, size_t len, char *err, size_t err_size)
{
	const char *eq = memchr(entry, '=', len);
	struct secret_spec spec = { entry, eq != NULL ? (size_t)(eq - entry) : len, NULL, 0 };

	if (!valid_name(spec.name, spec.name_len)) {
		format(err, err_size, "--secret: '%.*s' is not a variable name (letters, digits, '_'; not a digit first)",
		       (int)spec.name_len, spec.name);
		return -1;
	}
	if (eq != NULL) {
		spec.path = eq + 1;
		spec.path_len = len - spec.name_len - 1;
		if (spec.path_len == 0) {
			format(err, err_size, "--secret %.*s: empty path after '='", (int)spec.name_len, spec.name);
			return -1;
		}
	}
	for (size_t i = 0; i < list->count; i++) {
		if (list->items[i].name_len == spec.name_len && memcmp(list->items[i].name, spec.name, spec.name_len) == 0) {
			format(err, err_size, "--secret %.*s: given twice", (int)spec.name_len, spec.name);
			return -1;
		}
	}
	if (list->count == SECRETS_MAX) {
		format(err, err_size, "--secret: more than %d secrets", SECRETS_MAX);
		return -1;
	}
	list->items[list->count++] = spec;
	return 0;
}

int secret_list_parse(struct secret_list *list, const char *text, char *err, size_t err_size)
{
	struct text_span rest = text_span_of(text), entry;

	while (text_next(&rest, ',', &entry))
		if (add_entry(list, entry.p, entry.len, err, err_size) != 0)
			return -1;
	return 0;
}

/* The value of NAME in envp, or NULL when it is unset or empty (as file_env
 * treats an empty variable). suffix: "_FILE" or "". */
static const char *lookup(char **envp, const struct secret_spec *spec, const char *suffix)
{
	char name[SECRET_NAME_MAX + sizeof("_FILE")];

	format(name, sizeof(name), "%.*s%s", (int)spec->name_len, spec->name, suffix);
	const char *value = environ_get(envp, name);
	return value != NULL && *value != '\0' ? value : NULL;
}

enum secret_source secret_source(const struct secret_spec *spec, char **envp, const char **file_variable)
{
	*file_variable = NULL;
	if (spec->path != NULL)
		return SECRET_FROM_PATH;
	*file_variable = lookup(envp, spec, "_FILE");
	if (*file_variable == NULL)
		return SECRET_NOT_GIVEN;
	return lookup(envp, spec, "") != NULL ? SECRET_CONFLICT : SECRET_FROM_FILE_VARIABLE;
}

int secret_value_check(const struct secret_spec *spec, const char *path, const char *value, size_t *len,
		       int complete, char *err, size_t err_size)
{
	while (*len > 0 && value[*len - 1] == '\n')
		(*len)--;
	if (!complete || spec->name_len + 1 + *len + 1 > SECRET_ENTRY_MAX) {
		format(err, err_size, "--secret %.*s: %s is longer than an environment string can be (%d bytes with '%.*s=')",
		       (int)spec->name_len, spec->name, path, SECRET_ENTRY_MAX, (int)spec->name_len, spec->name);
		return -1;
	}
	if (memchr(value, '\0', *len) != NULL) {
		format(err, err_size, "--secret %.*s: %s holds a NUL byte, which no environment string can", (int)spec->name_len,
		       spec->name, path);
		return -1;
	}
	return 0;
}
