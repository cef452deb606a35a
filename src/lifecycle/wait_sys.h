/* Waiting for the --wait targets: a helper process for each (helper_sys.h),
 * all at once, each trying its target until it is ready. The loop reaps
 * them like any child, hands each to waiters_reaped, and starts the command
 * once none is pending. Nothing here waits: the loop's one wait does. */
#ifndef GRACEFULINIT_WAIT_SYS_H
#define GRACEFULINIT_WAIT_SYS_H

#include <sys/types.h>

#include "wait.h"

struct waiters {
	const struct wait_list *list;
	pid_t pid[WAIT_TARGETS_MAX]; /* each target's waiter; 0 once it is ready */
	size_t pending;
	long long started_ms; /* clock_now_ms() */
	char *why; /* shared with the waiters: each target's last failure, WAIT_WHY_MAX bytes */
};

/* Starts a waiter for each target, with env (the command's, without the
 * secrets), and says so in one line. Returns 0, or -1 after logging: then
 * waiters_end ends those already started. */
int waiters_start(struct waiters *w, const struct wait_list *list, char **env);

enum waiter_result { WAITER_NOT_OURS, WAITER_PENDING, WAITER_ALL_READY, WAITER_FAILED };

/* A reaped child, with its wait status: a waiter's end is one line, the
 * target ready after so long, or why its waiter failed. */
enum waiter_result waiters_reaped(struct waiters *w, pid_t pid, int wait_status);

/* One line: the targets still pending, and why each is not ready yet. */
void waiters_report_pending(const struct waiters *w);

/* --wait-timeout ran out: a line for each target still pending, and why. */
void waiters_report_timed_out(const struct waiters *w, long long timeout_ms);

/* SIGKILL to each waiter still running; the loop reaps them. */
void waiters_end(struct waiters *w);

#endif
