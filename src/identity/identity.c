#include "identity.h"

#include <string.h>

#include "format.h"
#include "number.h"

/* The kernel reserves (uid_t)-1 and (gid_t)-1: setresuid(2) reads them as
 * "leave unchanged", so they can never name an identity. */
#define ID_MAX 4294967294ULL

/* A decimal id, or -1 when text is not all digits (then it is a name). A
 * number out of range is an error, not a name: "99999999999" was meant as
 * an id. */
static int parse_id(const char *text, unsigned long long *id)
{
	size_t digits = number_scan(text, NUMBER_TO_NUL, ID_MAX, id);
	const char *end = text + digits;

	if (digits == 0) /* no digit, or more than ID_MAX */
		while (number_is_digit(*end))
			end++;
	if (end == text || *end != '\0')
		return -1;
	return digits > 0 ? 0 : -2;
}

/* One side of the colon: copies it into out and, when it is a number, sets
 * *is_id and *id. */
static int parse_part(const char *what, const char *text, size_t len, char *out, int *is_id,
		      unsigned long long *id, char *err, size_t err_size)
{
	if (len == 0) {
		format(err, err_size, "--user: empty %s name", what);
		return -1;
	}
	if (len >= USER_SPEC_NAME_MAX) {
		format(err, err_size, "--user: %s name longer than %d bytes", what, USER_SPEC_NAME_MAX - 1);
		return -1;
	}
	memcpy(out, text, len);
	out[len] = '\0';
	switch (parse_id(out, id)) {
	case 0:
		*is_id = 1;
		return 0;
	case -2:
		format(err, err_size, "--user: %s id '%s' is out of range", what, out);
		return -1;
	default:
		return 0;
	}
}

int user_spec_parse(struct user_spec *spec, const char *text, char *err, size_t err_size)
{
	const char *colon = strchr(text, ':');
	size_t user_len = colon != NULL ? (size_t)(colon - text) : strlen(text);
	unsigned long long id = 0;

	memset(spec, 0, sizeof(*spec));
	if (parse_part("user", text, user_len, spec->user, &spec->user_is_id, &id, err, err_size) != 0)
		return -1;
	spec->user_id = (uid_t)id;
	if (colon == NULL)
		return 0;
	if (strchr(colon + 1, ':') != NULL) {
		format(err, err_size, "--user: '%s' is not USER[:GROUP]", text);
		return -1;
	}
	if (parse_part("group", colon + 1, strlen(colon + 1), spec->group, &spec->group_is_id, &id, err,
		       err_size) != 0)
		return -1;
	spec->group_id = (gid_t)id;
	return 0;
}
