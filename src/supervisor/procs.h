/* The processes gracefulinit answers for, read from /proc: as PID 1 every
 * process in the namespace, otherwise its descendants. */
#ifndef GRACEFULINIT_PROCS_H
#define GRACEFULINIT_PROCS_H

#include <stddef.h>
#include <sys/types.h>

#include "sigmask.h"

struct proc_info {
	pid_t pid;      /* as gracefulinit's namespace numbers it */
	pid_t pgid;
	pid_t proc_pid; /* its directory in /proc (another number in an outer /proc) */
	char comm[16];
};

struct proc_list {
	struct proc_info *items;
	size_t count;
	size_t mapped_bytes; /* for procs_free */
};

/* Live (not zombie) processes in scope, gracefulinit excluded, with pids as
 * gracefulinit's PID namespace numbers them. A /proc of an outer namespace
 * (not remounted after unshare) still works: its NSpid lines translate.
 * Then the scope is the descendants even as PID 1, since that /proc also
 * shows processes outside the namespace. Returns -1 when /proc cannot be
 * read or does not show gracefulinit at all. */
int procs_collect(struct proc_list *out, int whole_namespace);

/* Where gracefulinit stands in a /proc, and what it answers for. */
struct proc_scope {
	pid_t self;          /* gracefulinit's pid as that /proc numbers it */
	int level;           /* how many namespaces gracefulinit's is below the /proc's (0: pids are taken
				from stat as they are, otherwise from field level of NSpid and NSpgid in status) */
	int whole_namespace; /* every process, not only self's descendants */
};

/* procs_collect's walk over root, a directory laid out as /proc (the unit
 * tests use fixture trees). */
int procs_read(const char *root, const struct proc_scope *scope, struct proc_list *out);

/* Which signals the process handles: /proc/PID/status's SigCgt and SigBlk
 * (the main thread's). Returns 0, or -1 when it has gone. */
struct proc_signals {
	sigmask_bits caught, blocked;
};
int procs_signals(const struct proc_info *info, struct proc_signals *out);

/* The hex mask on status's line key ("SigCgt"). Returns 0, or -1. Pure. */
int procs_parse_sigmask(const char *status, const char *key, sigmask_bits *out);

/* The name (comm) of pid, a zombie included, when /proc shows gracefulinit's
 * own namespace (in an outer one the number is someone else's). Returns 0, or -1. */
int procs_name(pid_t pid, char comm[16]);

/* The kernel nests PID namespaces at most 32 deep. */
#define PROCS_MAX_LEVELS 33

/* The pids on the line key ("NSpid", "NSpgid") of the text of
 * /proc/PID/status, outermost namespace first, into pids (at most
 * PROCS_MAX_LEVELS). Returns how many there are: 0 when there is no such
 * line or it is malformed. Pure. */
int procs_ns_pids(const char *status, const char *key, pid_t pids[PROCS_MAX_LEVELS]);

void procs_free(struct proc_list *list);

/* "17 (worker), 23 (python3)", cut with ", ..." when buf is full. */
void procs_describe(const struct proc_list *list, char *buf, size_t size);

/* Parses the text of /proc/PID/stat. Pure, for the unit tests. */
int procs_parse_stat(const char *text, struct proc_info *info, pid_t *ppid, char *state);

#endif
