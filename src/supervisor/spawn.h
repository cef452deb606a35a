/* Starting the command: fork, its own process group, the terminal's
 * foreground, the signal state gracefulinit inherited, fds 0-2 only, exec. */
#ifndef GRACEFULINIT_SPAWN_H
#define GRACEFULINIT_SPAWN_H

#include <signal.h>
#include <sys/types.h>

#include "sigmask.h"

/* What gracefulinit found at start and the command must get back. */
struct inherited_signals {
	sigmask_bits mask;
	void (*sigchld)(int); /* SIG_DFL or SIG_IGN: what exec leaves */
};

/* Blocks every signal gracefulinit waits for and makes sure SIGCHLD is not
 * ignored (children would be reaped by the kernel, statuses lost), saving
 * what it changed into saved. Returns 0, or -1 after logging. */
int spawn_take_signals(struct inherited_signals *saved, sigmask_bits *wait_set);

/* What runs: argv, looked up as execvp does in env's PATH, with env. */
struct command {
	char **argv; /* NULL-terminated */
	char **env;  /* NULL-terminated */
};

/* Returns the command's pid (also its process group), or -1 after logging. */
pid_t spawn_command(const struct command *cmd, const struct inherited_signals *inherited);

/* status (125, 126 or 127) came from gracefulinit's child, which could not
 * run the command, not from the command: --exit-map leaves it alone. */
int spawn_status_is_own(int status);

/* The command was stopped by sig. For a stop from the terminal (Ctrl-Z, or
 * a background read or write), gracefulinit stops too and, once continued,
 * continues the command; but only where a job-control shell above it will
 * continue it. */
void spawn_follow_stop(pid_t command, int sig);

#endif
