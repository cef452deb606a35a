/* The init's helpers: the watchdog's checks and the --wait waiters. Each is
 * a process, and a process group, of its own, never root, with none of the
 * init's descriptors, signal mask or command's secrets; the loop reaps it
 * like any child, and SIGKILL to its group ends it. */
#ifndef GRACEFULINIT_HELPER_SYS_H
#define GRACEFULINIT_HELPER_SYS_H

#include <stddef.h>
#include <sys/types.h>

/* Before anything starts: a helper can give up root and --cap's
 * capabilities here (root without the capabilities to switch cannot).
 * Returns 0, or -1 after logging "<what> as root, and cannot give root
 * up here": then gracefulinit exits 125. */
int helper_can_start(const char *what);

/* A page shared with the helpers, for the lines they leave the init: no
 * pipe, so nothing to poll and nothing a helper can make the init wait
 * for. Returns it, or NULL with errno set. */
char *helper_page(size_t size);

/* Forks a helper. Returns its pid (also its group) in the init, or -1 with
 * why filled in; 0 in the helper, which then runs as the user. A helper
 * that cannot get there exits 1, with why it failed in why. */
pid_t helper_start(char **env, char *why, size_t why_size);

#endif
