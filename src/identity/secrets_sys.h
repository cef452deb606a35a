/* --secret: files read as root, before the identity switch (and again as
 * the user before each restart), into the command's environment
 * (gracefulinit(1), SECRETS). gracefulinit's own environment block never
 * holds a value, and it drops its copies once the command is forked, unless
 * the command may start again. */
#ifndef GRACEFULINIT_SECRETS_SYS_H
#define GRACEFULINIT_SECRETS_SYS_H

#include "secrets.h"

/* Reads every secret of list into the environment *env (which may move to a
 * longer copy), and takes the NAME_FILE variables it used out of it. Returns
 * 0, or -1 after logging (the caller exits 125): then nothing has been
 * started. */
int secrets_load(const struct secret_list *list, char ***env);

/* After the fork: the values are the command's alone; env stops holding them. */
void secrets_forget(char **env);

/* When the command may start again (--restart, --on-unhealthy restart), env
 * keeps them for the next run, out of any core dump. */
void secrets_keep(void);

/* Before a restart: each value read again, as the user gracefulinit now
 * runs as, so that a rotated secret reaches the new run. A file that user
 * may not read (root's, read before the switch) keeps the value read at
 * start, silently; any other failure is logged and keeps it too. In the
 * loop, as the start's read was before it: secrets live on a tmpfs (Docker,
 * Swarm and Kubernetes mount them so), where a read does not block. */
void secrets_reread(void);

#endif
