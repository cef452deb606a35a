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
#include "wait.h"
#include "watch_sys.h"

/* What the loop needs besides the policy's configuration. */
struct supervised {
	const struct supervisor_config *cfg;
	const struct command *cmd;                  /* started again on a restart */
	const struct inherited_signals *inherited;  /* likewise */
	const struct health_check *check;           /* cfg->watchdog.enabled */
	const struct wait_list *waits;              /* cfg->wait.enabled */
	struct watcher *watcher;                    /* started: it watches the --watch paths */
	sigmask_bits wait_set;
	int may_restart;                            /* supervisor_may_restart */
};

/* Starts the command (once the --wait targets are ready) and supervises
 * it; returns its status (before --exit-map), or gracefulinit's own (69
 * after --wait-timeout, 124 after --on-unhealthy exit, 125), which *own
 * then says. */
int supervise(const struct supervised *how, int *own);

#endif
