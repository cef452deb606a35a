/* Signal names and the forwarding policy. */
#ifndef GRACEFULINIT_SIGNALS_H
#define GRACEFULINIT_SIGNALS_H

#include <signal.h>

#include "sigmask.h"

/* One past the highest signal number (the kernel's 64). */
#define SIGNAL_LIMIT 65

/* The real-time range as glibc numbers it, which is what the programs in
 * containers (and kill -s RTMIN on Debian) mean: RTMIN is 34. musl's
 * SIGRTMIN is 35, so the libc macros are not used. 32 and 33 are the C
 * libraries' own (glibc: cancellation, setxid; musl: timers, cancellation). */
#define SIGNAL_RTMIN 34
#define SIGNAL_RTMAX 64

enum signal_policy {
	SIGNAL_FORWARD,     /* to the command's process group */
	SIGNAL_REAP,        /* SIGCHLD: reap children */
	SIGNAL_UNCATCHABLE, /* SIGKILL, SIGSTOP */
	SIGNAL_RESERVED,    /* 32, 33: the C libraries' own; blocked and dropped */
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

/* Every signal gracefulinit blocks and waits for: all that can be blocked. */
sigmask_bits signal_wait_mask(void);

/* --rewrite: which signal the command gets for one received. */
struct signal_rewrite {
	/* to[sig] is what sig is forwarded as; 0 drops it. */
	unsigned char to[SIGNAL_LIMIT];
};

/* Every signal forwarded as itself. */
void rewrite_init(struct signal_rewrite *rw);

int rewrite_apply(const struct signal_rewrite *rw, int sig);

#endif
