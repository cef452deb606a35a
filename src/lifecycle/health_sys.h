/* Running the watchdog's checks: each in a process, and a process group, of
 * its own, never as root, never waited for. The loop reaps it like any
 * child and hands its status to check_passed; a check past --health-timeout
 * is ended with SIGKILL to its whole group. */
#ifndef GRACEFULINIT_HEALTH_SYS_H
#define GRACEFULINIT_HEALTH_SYS_H

#include <stddef.h>
#include <sys/types.h>

#include "health.h"

/* Starts one check with env (the command's environment, without --secret
 * values). Returns its pid, which is also its group, or -1 with why filled in. */
pid_t check_start(const struct health_check *check, char **env, char *why, size_t why_size);

/* The check ended with wait_status: 1 when it passed, 0 with why filled in. */
int check_passed(int wait_status, char *why, size_t why_size);


#endif
