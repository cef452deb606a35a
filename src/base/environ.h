/* getenv and setenv over an environment array passed in, without setenv's
 * malloc. main owns the one environment and hands it on: the identity
 * switch sets HOME, USER and LOGNAME, --secret adds its variables, and the
 * command gets the array as it then is. Nothing reads the global environ,
 * so no caller can hold a view that a put has moved. */
#ifndef GRACEFULINIT_ENVIRON_H
#define GRACEFULINIT_ENVIRON_H

/* The value of NAME in the NULL-terminated env (env may be NULL), or NULL
 * when it is not there. Pure: options.c and secrets.c read with it. */
const char *environ_get(char **env, const char *name);

/* Puts entry ("NAME=value") into the NULL-terminated *env: it replaces every
 * entry of that name, or is added at the end of a copy one entry longer
 * (mmap'd; *env then points to the copy). The string is not copied: it must
 * live until exec. Returns 0, or -1 with errno set. */
int environ_put(char ***env, char *entry);

/* Takes entry itself (the same pointer) out of env, in place, without
 * reading it. */
void environ_drop(char **env, const char *entry);

/* Takes every entry named name ("NAME", or an entry "NAME=...") out of the
 * NULL-terminated env, in place. */
void environ_remove(char **env, const char *name);

#endif
