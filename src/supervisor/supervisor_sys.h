/* The one loop: the only wait in gracefulinit. It turns what happens (a
 * signal, a reaped child, a deadline) into events for the policy in
 * supervisor.h and carries out the actions that come back: signals, kills,
 * health checks, restarts. */
#ifndef GRACEFULINIT_SUPERVISOR_SYS_H
#define GRACEFULINIT_SUPERVISOR_SYS_H

#include <sys/types.h>

#include "health.h"
#include "sigmask.h"
#include "spawn.h"
#include "supervisor.h"

/* What the loop needs besides the policy's configuration. */
struct supervised {
	const struct supervisor_config *cfg;
	const struct command *cmd;                  /* started again on a restart */
	const struct inherited_signals *inherited;  /* likewise */
	const struct health_check *check;           /* cfg->watchdog.enabled */
	sigmask_bits wait_set;
};

/* Supervises the command, already started; returns its status (before
 * --exit-map), or gracefulinit's own (124 after --on-unhealthy exit, 125),
 * which *own then says. */
int supervise(pid_t command, const struct supervised *how, int *own);

#endif
