/* /etc/passwd and /etc/group, parsed from their text. Pure: identity_sys.c reads
 * the files. As the C library's file backend, NIS "+"/"-" lines and comments
 * are skipped and the first line whose name (or id) matches decides; unlike
 * it, a matching line gracefulinit cannot use is an error, never a reason to
 * read on (gracefulinit(1), USERS AND CAPABILITIES). */
#ifndef GRACEFULINIT_ACCOUNTS_H
#define GRACEFULINIT_ACCOUNTS_H

#include <stddef.h>
#include <sys/types.h>

#define ACCOUNT_NAME_MAX 256
#define ACCOUNT_HOME_MAX 4096

struct account {
	char name[ACCOUNT_NAME_MAX];
	uid_t uid;
	gid_t gid;
	char home[ACCOUNT_HOME_MAX];
};

/* Where and why the line that matched cannot be used. */
struct account_problem {
	size_t line; /* from 1 */
	const char *reason;
};

/* The user named name, or (name NULL) the first with uid. Returns 1 when
 * found, 0 when not, -1 with *problem when the first match is unusable. */
int accounts_find_user(const char *passwd, size_t len, const char *name, uid_t uid, struct account *out,
		       struct account_problem *problem);

/* The group named name. Returns 1 and *gid when found, 0 when not, -1 with
 * *problem when the first match is unusable. */
int accounts_find_group(const char *group, size_t len, const char *name, gid_t *gid, struct account_problem *problem);

/* As getgrouplist(3): primary first, then every group that lists user as a
 * member, each gid once. Stores at most max; returns how many there are. */
int accounts_user_groups(const char *group, size_t len, const char *user, gid_t primary, gid_t *groups, int max);

#endif
