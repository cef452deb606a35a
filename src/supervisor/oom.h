/* The kernel's OOM kills, as the memory cgroup gracefulinit runs in counts
 * them (gracefulinit(1), LOGGING): a child that dies of a SIGKILL
 * gracefulinit did not send while the count went up was the OOM killer's.
 * Kubernetes reports only the main process's (kubernetes#78973). Files
 * only, read when a child dies of SIGKILL: no wake-ups. */
#ifndef GRACEFULINIT_OOM_H
#define GRACEFULINIT_OOM_H

#include <stddef.h>

/* A cgroup's path, as long as a path may be (PATH_MAX), and its files'
 * paths under the longest mount point with room for the file's name. */
#define OOM_PATH_MAX 4096
#define OOM_FILE_MAX (OOM_PATH_MAX + 64)

struct oom_watch {
	char events[OOM_FILE_MAX]; /* v2 memory.events or v1 memory.oom_control; "" without a memory cgroup */
	char limit[OOM_FILE_MAX];  /* v2 memory.max or v1 memory.limit_in_bytes */
	long long kills;  /* the count as last read */
};

/* Finds the cgroup's files and reads the count as it stands. */
void oom_watch_init(struct oom_watch *w);

/* Whether there is a count to look at: no memory cgroup, nothing to do. */
int oom_watching(const struct oom_watch *w);

/* 1 when the count went up since the last look (and takes the new count). */
int oom_killed_since(struct oom_watch *w);

/* "memory limit 64 MiB", or "no memory limit". */
void oom_describe_limit(const struct oom_watch *w, char *buf, size_t size);

/* The pure parts, for the unit tests. */

/* The path of the memory cgroup in /proc/self/cgroup's text: the v1 line
 * whose controllers include "memory" (v2: the "0::" line). Returns 0, or -1. */
int oom_cgroup_path(const char *proc_cgroup, int v2, char *out, size_t size);

/* The value of the "key N" line in memory.events or memory.oom_control. */
int oom_parse_count(const char *text, const char *key, long long *out);

/* "64 MiB", "1.5 GiB", "1000 bytes"; -1: "no memory limit". */
void oom_format_limit(long long bytes, char *buf, size_t size);

#endif
