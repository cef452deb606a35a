/* --user's USER[:GROUP], split and classified. Pure: nothing is looked up
 * here; identity_sys.c resolves the names from /etc/passwd and /etc/group with
 * accounts.c (a static binary has no NSS). */
#ifndef GRACEFULINIT_USERSPEC_H
#define GRACEFULINIT_USERSPEC_H

#include <stddef.h>
#include <sys/types.h>

#include "caplist.h"

/* Linux's LOGIN_NAME_MAX, with the terminating NUL. */
#define USER_SPEC_NAME_MAX 256

struct user_spec {
	char user[USER_SPEC_NAME_MAX];  /* as given */
	char group[USER_SPEC_NAME_MAX]; /* as given; "" when no GROUP */
	int user_is_id;                 /* USER was a number: user_id holds it */
	int group_is_id;                /* GROUP was a number: group_id holds it */
	uid_t user_id;
	gid_t group_id;
};

/* Returns 0, or -1 with a one-line message in err (the caller exits 125). */
int user_spec_parse(struct user_spec *spec, const char *text, char *err, size_t err_size);

/* What --user and --cap asked for (identity_sys.h carries it out). */
struct identity_request {
	const char *user; /* USER[:GROUP] as given, or NULL */
	cap_mask keep;    /* --cap: the only capabilities the command keeps */
};

#endif
