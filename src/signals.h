/* Signal names and the forwarding policy, as one table. */
#ifndef GRACEFULINIT_SIGNALS_H
#define GRACEFULINIT_SIGNALS_H

#include <signal.h>

/* Upper bound on signal numbers across libcs (glibc and musl: 65). */
#define SIGNAL_LIMIT 65

enum signal_policy {
	SIGNAL_FORWARD,     /* to the command's process group */
	SIGNAL_REAP,        /* SIGCHLD: reap children */
	SIGNAL_UNCATCHABLE, /* SIGKILL, SIGSTOP */
	SIGNAL_RESERVED,    /* used by the C library itself */
};

enum signal_policy signal_policy(int sig);

/* "TERM", "SIGTERM", "sigterm", "15", "RTMIN+2", "SIGRTMAX-1". Returns the
 * number, 0 for "0" and "NONE" when allow_none, or -1. */
int signal_from_name(const char *name, int allow_none);

/* "SIGTERM", "SIGRTMIN+2". Valid until three more calls. */
const char *signal_name(int sig);

/* The signals that start the grace period: what docker stop, Kubernetes and
 * Ctrl-C send. */
int signal_starts_stop(int sig);

/* Fills set with every signal gracefulinit blocks and waits for. */
void signal_wait_set(sigset_t *set);

#endif
