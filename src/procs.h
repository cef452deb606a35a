/* The processes gracefulinit answers for, read from /proc: as PID 1 every
 * process in the namespace, otherwise its descendants. */
#ifndef GRACEFULINIT_PROCS_H
#define GRACEFULINIT_PROCS_H

#include <stddef.h>
#include <sys/types.h>

struct proc_info {
	pid_t pid;
	pid_t pgid;
	char comm[16];
};

struct proc_list {
	struct proc_info *items;
	size_t count;
	size_t mapped_bytes; /* for procs_free */
};

/* Live (not zombie) processes in scope, gracefulinit excluded. Returns -1 when
 * /proc cannot be read or shows another PID namespace than gracefulinit's
 * (a /proc not remounted after unshare). */
int procs_collect(struct proc_list *out, int whole_namespace);

/* procs_collect's walk over root, a directory laid out as /proc (the unit
 * tests use fixture trees): self's descendants, or every process. */
int procs_read(const char *root, pid_t self, int whole_namespace, struct proc_list *out);

void procs_free(struct proc_list *list);

/* "17 (worker), 23 (python3)", cut with ", ..." when buf is full. */
void procs_describe(const struct proc_list *list, char *buf, size_t size);

/* Parses the text of /proc/PID/stat. Pure, for the unit tests. */
int procs_parse_stat(const char *text, struct proc_info *info, pid_t *ppid, char *state);

#endif
