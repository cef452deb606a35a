/* /etc/passwd and /etc/group, parsed from their text. Pure: identity.c reads
 * the files. Semantics follow the C library's file backend: the first entry
 * that matches wins, malformed lines and NIS "+"/"-" lines are skipped. */
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

/* The user named name, or (name NULL) the first with uid. Returns 1 when
 * found, 0 when not. */
int accounts_find_user(const char *passwd, size_t len, const char *name, uid_t uid, struct account *out);

/* The group named name. Returns 1 and *gid when found, 0 when not. */
int accounts_find_group(const char *group, size_t len, const char *name, gid_t *gid);

/* As getgrouplist(3): primary first, then every group that lists user as a
 * member, each gid once. Stores at most max; returns how many there are. */
int accounts_user_groups(const char *group, size_t len, const char *user, gid_t primary, gid_t *groups, int max);

#endif
