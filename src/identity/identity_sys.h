/* --user and --cap: who gracefulinit and the command run as (gracefulinit(1),
 * USERS AND CAPABILITIES). gracefulinit switches itself, once, before it
 * forks, so no process in the container is left with root's identity or
 * capabilities. */
#ifndef GRACEFULINIT_IDENTITY_SYS_H
#define GRACEFULINIT_IDENTITY_SYS_H

#include <sys/types.h>

#include "identity.h"

struct identity {
	int wanted;        /* --user or --cap given: anything to do at all */
	int switch_user;   /* --user given */
	cap_mask keep;     /* --cap: the only capabilities left, as ambient ones */
	uid_t uid;
	gid_t gid;
	gid_t *groups;     /* supplementary groups, as setgroups(2) takes them */
	int group_count;
	const char *home;  /* HOME for the command */
	const char *login; /* the passwd entry's name, for USER and LOGNAME; NULL without one */
	const char *name;  /* --user as given, for messages */
};

/* Looks up the user and group. Returns 0, or -1 after logging (the caller
 * exits 125). */
int identity_resolve(const struct identity_request *req, struct identity *id);

/* Switches gracefulinit itself, before it forks, and sets HOME, USER and
 * LOGNAME in the environment *env (which may move to a longer copy; NULL:
 * none to set). Returns 0, or -1 after logging. */
int identity_apply(const struct identity *id, char ***env);

/* nobody's uid, which needs no /etc/passwd */
#define IDENTITY_PROBE_DEFAULT_USER "65534"

/* gracefulinit probe started as root (Docker runs HEALTHCHECK as the
 * container's user, root in the recommended image): before it opens a
 * socket, it becomes user (USER[:GROUP], NULL for 65534) with every
 * capability set empty and no_new_privs. Not root: nothing to do. Returns 0,
 * or -1 after logging. */
int identity_drop_for_probe(const char *user);

/* The watchdog's check, in its own process: never root (nobody when
 * gracefulinit runs as root), never with --cap's capabilities. Returns 0,
 * or -1 after logging. */
int identity_drop_for_check(void);

#endif
