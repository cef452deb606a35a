/* The one loop: the only wait in gracefulinit. It turns what happens (a
 * signal, a reaped child, a deadline) into events for the policy in
 * supervisor.h and carries out the actions that come back. Returns the
 * command's status (before --exit-map). */
#ifndef GRACEFULINIT_SUPERVISOR_SYS_H
#define GRACEFULINIT_SUPERVISOR_SYS_H

#include <sys/types.h>

#include "sigmask.h"
#include "supervisor.h"

int supervise(pid_t command, sigmask_bits wait_set, const struct supervisor_config *cfg);

#endif
